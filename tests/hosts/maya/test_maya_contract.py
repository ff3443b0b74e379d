"""The host contract suite of stalker_core run against ``MayaHost`` on the FAKE ``maya.cmds``."""

from __future__ import annotations

from typing import Any

import pytest

from stalker_core.hosts import Host
from stalker_core.testing.host_contract import HostContract


class TestMayaHostContract(HostContract):
    """Every contract check on the fake: ``MayaHost`` has a timeline, references and a UI.

    It does not claim ``export`` (the published copy is the version's file,
    byte for byte: Maya writes absolute reference paths).

    ``ui``: no Maya event loop runs in the tests, so :meth:`process_events`
    calls ``maya.utils.processIdleEvents()`` - Maya's own function, which runs
    the idle queue that ``executeInMainThreadWithResult`` hands calls to (the
    fake models that queue; in ``mayapy`` the real function runs it).
    """

    capabilities = frozenset({"timeline", "references", "ui"})

    @pytest.fixture
    def host(self, cmds: Any) -> Host:
        from stalker_maya.adapter import MayaHost

        return MayaHost()

    def process_events(self, host: Host) -> None:
        import maya.utils

        maya.utils.processIdleEvents()
