"""Fixtures of the model tests."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest


@pytest.fixture
def stalker_env() -> Iterator[None]:
    """Restore ``os.environ`` after the test.

    The tests that run the installed Stalker next to stalker_core create
    repositories in both libraries, and both write ``REPO<code>`` variables.
    """
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)
