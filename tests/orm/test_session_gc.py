"""StalkerSession: a bulk flush runs with the cyclic GC paused, restored afterwards."""

from __future__ import annotations

import gc
from typing import Any

import pytest
from sqlalchemy import event

from stalker_core.orm.session import BULK_FLUSH_OBJECTS, DBSession, StalkerSession


def _record_gc(session: Any) -> list[bool]:
    seen: list[bool] = []

    def before_flush(*_: Any) -> None:
        seen.append(gc.isenabled())

    event.listen(session(), "before_flush", before_flush)
    return seen


def test_dbsession_is_a_stalker_session(session: Any) -> None:
    assert isinstance(session(), StalkerSession)
    assert session is DBSession


def test_bulk_flush_pauses_gc_and_restores_it(session: Any) -> None:
    from stalker_core.models import Tag

    seen = _record_gc(session)
    session.add_all([Tag(name=f"tag {i}") for i in range(BULK_FLUSH_OBJECTS)])
    session.commit()
    assert seen == [False]
    assert gc.isenabled()
    assert Tag.query.filter(Tag.name.like("tag %")).count() == BULK_FLUSH_OBJECTS


def test_small_flush_keeps_gc_running(session: Any) -> None:
    from stalker_core.models import Tag

    seen = _record_gc(session)
    session.add(Tag(name="one"))
    session.commit()
    assert seen == [True]
    assert gc.isenabled()


def test_failed_bulk_flush_restores_gc(session: Any) -> None:
    from stalker_core.models import Tag

    def boom(*_: Any) -> None:
        raise RuntimeError("refused by a listener")

    event.listen(session(), "before_flush", boom)
    session.add_all([Tag(name=f"tag {i}") for i in range(BULK_FLUSH_OBJECTS)])
    with pytest.raises(RuntimeError, match="refused"):
        session.flush()
    assert gc.isenabled()
    session.rollback()


def test_gc_disabled_by_the_caller_stays_disabled(session: Any) -> None:
    from stalker_core.models import Tag

    gc.disable()
    try:
        session.add_all([Tag(name=f"tag {i}") for i in range(BULK_FLUSH_OBJECTS)])
        session.commit()
        assert not gc.isenabled()
    finally:
        gc.enable()
