"""Panel controllers: what each artist panel shows and does, without Qt.

One module per panel: ``workfiles`` (with ``browse``, the project list and
the task tree), ``publisher``, ``loader``, ``inventory``, ``launcher`` (the
launcher window), and ``menu`` (the "Stalker" menu of Maya, Nuke and Krita).
A controller takes plain arguments, returns plain data classes, reaches the
scene only through the host protocol (:mod:`stalker_core.hosts`) and the database only through
:meth:`~stalker_core.controllers.base.PanelController.db_call`. The Qt views
of :mod:`stalker_core.ui` sit on top of them; the CLI and tests use them
directly. Nothing here imports Qt (checked by the layer contract).

* :mod:`~stalker_core.controllers.base`: :class:`PanelController`, database
  calls that turn a lost connection into
  :class:`~stalker_core.exceptions.DatabaseUnavailableError`, and the
  timing log of those calls (:class:`CallLog`);
* :mod:`~stalker_core.controllers.registry`: the panels and UI actions the
  plugins offer (``stalker_ui_panels``, ``stalker_ui_actions``).
"""
