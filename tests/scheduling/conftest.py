"""Fixtures of the scheduling tests."""

from __future__ import annotations

import pytest
from sched_helpers import problem, task

from stalker_core.scheduling.data import Problem


@pytest.fixture
def tutorial_problem() -> Problem:
    """The tutorial's five tasks under SH001, one resource."""
    return problem(
        task(1, "SH001", res=()),
        task(2, "previs", timing=10, unit="d", parent=1),
        task(3, "matchmove", timing=2, unit="d", parent=1),
        task(4, "anim", timing=5, unit="d", parent=1, deps=(2, 3)),
        task(5, "lighting", timing=3, unit="d", parent=1, deps=(4,)),
        task(6, "comp", timing=6, unit="h", parent=1, deps=(5,)),
    )
