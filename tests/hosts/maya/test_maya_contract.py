"""The host contract suite of stalker_core run against ``MayaHost`` on the FAKE ``maya.cmds``."""

from __future__ import annotations

from typing import Any

import pytest

from stalker_core.hosts import Host
from stalker_core.testing.host_contract import HostContract


class TestMayaHostContract(HostContract):
    """Every contract check on the fake: ``MayaHost`` has a timeline and references.

    It does not claim ``export`` (the published copy is the version's file,
    byte for byte: Maya writes absolute reference paths) nor ``ui``.
    """

    capabilities = frozenset({"timeline", "references"})

    @pytest.fixture
    def host(self, cmds: Any) -> Host:
        from stalker_maya.adapter import MayaHost

        return MayaHost()
