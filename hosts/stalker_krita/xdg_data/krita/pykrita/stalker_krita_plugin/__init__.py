"""Krita's Python plugin of stalker_core: loads the pipeline into Krita.

Krita finds it through ``XDG_DATA_DIRS`` (``stalker launch krita`` puts its
folder there) and imports it when ``[python] enable_stalker_krita_plugin=true``
is in ``kritarc``. It adds the folders of ``STALKER_PYTHONPATH`` to Krita's
Python, keeps Qt.py on Krita's own PyQt5, and installs the "Stalker" menu
(:func:`stalker_krita.startup.install`). It must never stop Krita from
starting: a failure is printed and Krita goes on without the pipeline.
"""

import os
import site
import sys
import traceback

# Krita's binding: Qt.py must never load a second Qt (PySide6 may be on the path)
os.environ.setdefault("QT_PREFERRED_BINDING", "PyQt5")

for _path in os.environ.get("STALKER_PYTHONPATH", "").split(os.pathsep):
    if _path and _path not in sys.path:
        site.addsitedir(_path)

try:
    from stalker_krita import startup

    startup.install()
except Exception:
    traceback.print_exc()
    print("stalker: the pipeline plugin could not be loaded; Krita runs without it")
