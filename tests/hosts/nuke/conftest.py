"""Fixtures for the Nuke host tests, run against the FAKE ``nuke`` module in tests/fakes.

For each test, ``tests/fakes`` goes on ``sys.path`` so ``import nuke`` finds
the fake (a stateful model of the subset stalker_nuke calls; see its
docstring) with a fresh session. Afterwards the fake and every
``stalker_nuke`` module that imported it are dropped from ``sys.modules``,
so no other test sees a ``nuke`` module (the Nuke plugin would then take
itself for running inside Nuke).

Inside the real Nuke (``nuke -t``, started by ``test_nuke_real.py`` with
:data:`INSIDE_NUKE` set) the real ``nuke`` module is used instead, and each
test starts from ``nuke.scriptClear()``; only the contract suite runs there.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

FAKES = Path(__file__).resolve().parents[2] / "fakes"
#: set (to "1") by the runner of the opt-in run inside the real Nuke
INSIDE_NUKE = "STALKER_NUKE_INSIDE"


def _forget_nuke() -> None:
    for name in list(sys.modules):
        if name == "nuke" or name.startswith("nuke.") or name.startswith("stalker_nuke."):
            del sys.modules[name]
            parent, _, child = name.rpartition(".")
            if parent in sys.modules and hasattr(sys.modules[parent], child):
                # else `from . import child` would find the stale submodule on the package
                delattr(sys.modules[parent], child)


@pytest.fixture(autouse=True)
def fake_nuke(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The fake ``nuke`` module in a fresh terminal session (``nuke -t``); inside Nuke, nuke."""
    if os.environ.get(INSIDE_NUKE) == "1":
        import nuke as real

        real.scriptClear()
        yield real
        real.scriptClear()
        return
    _forget_nuke()
    monkeypatch.syspath_prepend(str(FAKES))
    import nuke

    assert Path(nuke.__file__).parent.parent == FAKES, f"expected the fake, got {nuke.__file__}"
    yield nuke
    _forget_nuke()


@pytest.fixture
def host(fake_nuke: Any) -> Any:
    """A NukeHost on the fake's empty script."""
    from stalker_nuke.adapter import NukeHost

    return NukeHost()


@pytest.fixture
def prod(session: Any, tmp_path: Path) -> Any:
    from nuke_project import build

    return build(session, tmp_path / "repo")


@pytest.fixture
def kw(session: Any, prod: Any) -> dict[str, Any]:
    from nuke_project import plugin_manager

    return {"session": session, "pm": plugin_manager(), "user": prod.user}
