"""The host contract suite for NukeHost, run against the FAKE nuke module (tests/fakes/nuke)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from stalker_core.hosts import Host
from stalker_core.testing.host_contract import HostContract


class TestNukeHostContract(HostContract):
    """NukeHost has the timeline and references capabilities (not export, not ui)."""

    capabilities = frozenset({"timeline", "references"})

    @pytest.fixture
    def host(self, fake_nuke: Any) -> Any:
        from stalker_nuke.adapter import NukeHost

        return NukeHost()

    def make_reference_file(self, host: Host, directory: Path, name: str = "asset") -> Path:
        """Nuke references read images or geometry, not scripts: an (empty) Alembic file."""
        path = directory / f"{name}.abc"
        path.write_bytes(b"fake alembic\n")
        return path
