"""The add-on's runtime connects the database on first use; drawing waits for no default data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select


@pytest.fixture
def unbound_dbsession(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """``DBSession`` bound to nothing, the configured database a new SQLite file."""
    from stalker_core import config
    from stalker_core.orm.session import DBSession

    monkeypatch.setenv("STALKER_DATABASE_URL", f"sqlite:///{tmp_path / 'studio.db'}")
    config.reset()  # read again, with the variable
    DBSession.remove()
    DBSession.configure(bind=None)
    yield DBSession
    bind = DBSession.session_factory.kw.get("bind")
    DBSession.remove()
    DBSession.configure(bind=None)
    if bind is not None:
        bind.dispose()
    config.reset()


def test_reading_connects_and_writing_adds_the_default_data_once(
    unbound_dbsession: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stalker_blender.runtime import Runtime

    from stalker_core import db
    from stalker_core.models import User

    runtime = Runtime()
    inits: list[int] = []
    real_init = db.init
    monkeypatch.setattr(db, "init", lambda: inits.append(1) or real_init())

    reader = runtime.reading_session()
    assert reader is unbound_dbsession
    assert reader.scalar(select(func.count()).select_from(User)) == 0  # schema, no data
    assert inits == []

    assert runtime.session() is unbound_dbsession
    assert inits == [1]
    assert reader.scalar(select(User.login)) == "admin"
    runtime.session()
    runtime.reading_session()
    assert inits == [1]  # once per connection made by the runtime


def test_a_configured_session_is_used_as_it_is(
    unbound_dbsession: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stalker_blender.runtime import Runtime

    from stalker_core import db

    runtime = Runtime()
    runtime.reading_session()  # connects DBSession: default data pending
    mine = object()
    runtime.configure(session=mine)
    monkeypatch.setattr(db, "init", lambda: pytest.fail("db.init() for a handed-in session"))
    assert runtime.session() is mine
    assert runtime.reading_session() is mine
