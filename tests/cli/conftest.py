"""Fixtures of the CLI tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture
def cli_db(db_url: str) -> Iterator[str]:
    """An empty database on both backends; the CLI's connection is closed before it is dropped."""
    yield db_url
    from stalker_core.orm.session import DBSession

    bind = DBSession.get_bind() if DBSession.registry.has() else None
    DBSession.remove()
    if bind is not None:
        bind.dispose()
