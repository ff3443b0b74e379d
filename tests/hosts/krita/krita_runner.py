"""Run INSIDE Krita (STALKER_KRITA_SCRIPT): the Krita test modules under pytest, then quit.

Writes pytest's summary to ``<KRITA_TEST_FACTS folder>/inside_summary.json``
(exit code and the outcome of every test) and quits Krita without asking to
save anything. Started by tests/hosts/krita/test_krita_app.py.
"""

import json
import os
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = Path(os.environ["KRITA_TEST_FACTS"]).with_name("inside_summary.json")


class _Collect:
    def __init__(self):
        self.outcomes = {}

    def pytest_runtest_logreport(self, report):
        if report.when == "call" or report.outcome != "passed":
            text = str(report.longrepr)[-3000:] if report.failed else ""
            self.outcomes[report.nodeid] = [report.outcome, text]


def main():
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # no pytest-qt (PySide6) inside Krita
    summary = {"exit": None, "outcomes": {}}
    try:
        import pytest

        collect = _Collect()
        only = os.environ.get("KRITA_INSIDE_ONLY")  # e.g. inside_panels.py (docs/make_images.py)
        modules = [only] if only else ["inside_contract.py", "inside_workflows.py",
                                       "inside_panels.py"]
        code = pytest.main(
            ["-c", str(HERE / "inside" / "pytest.ini"), "--rootdir", str(HERE / "inside"), "-q",
             *(str(HERE / "inside" / m) for m in modules)],
            plugins=[collect])
        summary = {"exit": int(code), "outcomes": collect.outcomes}
    except BaseException:  # noqa: BLE001 - always report and quit
        summary["error"] = traceback.format_exc()
    OUT.write_text(json.dumps(summary))
    sys.stdout.flush()
    from krita import Krita

    for doc in list(Krita.instance().documents()):
        doc.setBatchmode(True)
        doc.setModified(False)
        doc.close()
    Krita.instance().action("file_quit").trigger()


main()
