"""The host contract suite of stalker_core run against the real Blender adapter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("bpy", exc_type=ImportError)

from blender_project import build_asset_file  # noqa: E402

from stalker_core.hosts import Host  # noqa: E402
from stalker_core.testing.host_contract import HostContract  # noqa: E402

pytestmark = pytest.mark.blender


class TestBlenderHostContract(HostContract):
    """Every contract check, on ``BlenderHost`` with real ``bpy``: it has every capability.

    ``ui``: ``main_window()`` is ``None`` (no Qt) and ``run_in_main_thread``
    runs calls on Blender's main thread. bpy as a module has no event loop, so
    :meth:`process_events` runs the pump its timer would run
    (``test_blender_mainthread.py`` tests the timer and the timeout).
    """

    capabilities = frozenset({"timeline", "references", "export", "ui"})

    @pytest.fixture
    def host(self, fresh_blender: Any) -> Host:
        from stalker_blender.adapter import BlenderHost

        return BlenderHost()

    def process_events(self, host: Host) -> None:
        from stalker_blender import mainthread

        mainthread.pump()

    def make_reference_file(self, host: Host, directory: Path, name: str = "asset") -> Path:
        """A linkable asset: a collection with a mesh object (an empty file links nothing)."""
        path = build_asset_file(directory / f"{name}.blend", collection="asset")
        host.new_file()
        return path
