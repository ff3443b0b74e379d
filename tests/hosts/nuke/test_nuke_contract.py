"""The host contract suite for NukeHost, run against the FAKE nuke module (tests/fakes/nuke)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from stalker_core.hosts import Host
from stalker_core.testing.host_contract import HostContract


class TestNukeHostContract(HostContract):
    """NukeHost has the timeline, references and ui capabilities (not export).

    ``ui``: on the fake no event loop runs, so :meth:`process_events` turns the
    fake's (``nuke._process_events``, a test helper). Inside the real Nuke
    (``nuke -t``) the default applies: Nuke's own loop is relied upon.
    """

    capabilities = frozenset({"timeline", "references", "ui"})

    def process_events(self, host: Host) -> None:
        import nuke

        pump = getattr(nuke, "_process_events", None)  # the fake's test helper; not in Nuke
        if pump is not None:
            pump()
        else:
            super().process_events(host)

    @pytest.fixture
    def host(self, fake_nuke: Any) -> Any:
        from stalker_nuke.adapter import NukeHost

        return NukeHost()

    def make_reference_file(self, host: Host, directory: Path, name: str = "asset") -> Path:
        """Nuke references read images or geometry, not scripts: an (empty) Alembic file."""
        path = directory / f"{name}.abc"
        path.write_bytes(b"fake alembic\n")
        return path
