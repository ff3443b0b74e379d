"""The HostContract suite, run INSIDE the real Krita against KritaHost."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from Qt import QtCore, QtGui, QtWidgets

from stalker_core.hosts import Host
from stalker_core.testing.host_contract import HostContract


class TestKritaHost(HostContract):
    capabilities = frozenset({"timeline", "references", "ui"})

    @pytest.fixture
    def host(self, krita_host: Any) -> Any:
        return krita_host

    def process_events(self, host: Host) -> None:
        QtWidgets.QApplication.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 50)

    def make_reference_file(self, host: Host, directory: Path, name: str = "asset") -> Path:
        """File layers show images: a small PNG."""
        path = directory / f"{name}.png"
        image = QtGui.QImage(32, 32, QtGui.QImage.Format.Format_ARGB32)
        image.fill(QtGui.QColor(200, 30, 30))
        assert image.save(str(path))
        return path
