"""The host contract suite for NukeHost, run against the FAKE nuke module (tests/fakes/nuke)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from stalker_core.hosts import Host
from stalker_core.testing.host_contract import HostContract


class TestNukeHostContract(HostContract):
    """NukeHost has the timeline, references and ui capabilities (not export).

    ``ui``: the suite runs as ``nuke -t`` (the fake's default, and the real
    run), where no event loop runs the calls of worker threads, so
    :meth:`process_events` runs ``NukeHost.process_events()`` as a script would
    (``test_nuke_ui.py`` covers the GUI's ``executeInMainThreadWithResult``).
    """

    capabilities = frozenset({"timeline", "references", "ui"})

    def process_events(self, host: Host) -> None:
        host.process_events()  # type: ignore[attr-defined]  # NukeHost's, for nuke -t

    @pytest.fixture
    def host(self, fake_nuke: Any) -> Any:
        from stalker_nuke.adapter import NukeHost

        return NukeHost()

    def make_reference_file(self, host: Host, directory: Path, name: str = "asset") -> Path:
        """Nuke references read images or geometry, not scripts: an (empty) Alembic file."""
        path = directory / f"{name}.abc"
        path.write_bytes(b"fake alembic\n")
        return path
