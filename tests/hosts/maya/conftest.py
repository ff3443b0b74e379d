"""Fixtures for the Maya host tests: the FAKE ``maya`` package of ``tests/fakes``.

Maya cannot run here, so ``tests/fakes`` is put first on ``sys.path`` and
``import maya.cmds`` gives the fake (``maya.IS_STALKER_TEST_FAKE``). Each
test starts from a fresh fake session.

Inside a real Maya (``test_maya_real.py`` runs ``test_maya_contract.py``
under ``$STALKER_MAYAPY`` with :data:`REAL_ENV` set), the fake is not put on
the path: ``maya.standalone`` is initialised once and every test starts from
``file -new -force``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

FAKES = Path(__file__).resolve().parents[2] / "fakes"
#: set to "1" by test_maya_real.py when the tests run inside mayapy
REAL_ENV = "STALKER_MAYA_REAL"


def _real_maya() -> Any:
    import maya.standalone

    maya.standalone.initialize(name="python")
    import maya
    import maya.cmds

    return maya


def _fake_maya() -> Any:
    if str(FAKES) not in sys.path:
        sys.path.insert(0, str(FAKES))
    import maya
    import maya.api.OpenMaya
    import maya.cmds
    import maya.OpenMayaUI
    import maya.utils

    assert maya.IS_STALKER_TEST_FAKE, f"expected the fake maya package, got {maya.__file__}"
    return maya


@pytest.fixture(autouse=True)
def fake_maya() -> Iterator[Any]:
    """The fake ``maya`` package, with a fresh session (restored after the test).

    Inside a real Maya: the real package, after ``file -new -force``.
    """
    if os.environ.get(REAL_ENV) == "1":
        maya = _real_maya()
        maya.cmds.file(new=True, force=True)
        yield maya
        return
    maya = _fake_maya()
    maya.cmds._reset()
    maya.cmds._batch = False
    maya.pretend_inside_maya = False
    maya.utils._deferred.clear()
    maya.utils.processIdleEvents()  # nothing may wait from an earlier test
    maya.cmds._menus.clear()
    maya.cmds._warnings.clear()
    maya.cmds._plugins.clear()
    maya.api.OpenMaya._callbacks.clear()
    import stalker_maya.startup

    stalker_maya.startup._callback_ids.clear()
    yield maya
    maya.cmds._reset()
    maya.api.OpenMaya._callbacks.clear()
    maya.pretend_inside_maya = False


@pytest.fixture
def cmds(fake_maya: Any) -> Any:
    """The fake ``maya.cmds``."""
    return fake_maya.cmds


@pytest.fixture
def host(cmds: Any) -> Any:
    """A MayaHost on the fake, with an empty scene."""
    from stalker_maya.adapter import MayaHost

    return MayaHost()
