"""The session fixture gives a working database on both backends."""

from __future__ import annotations


def test_session_has_default_department(session: object) -> None:
    from stalker_core.models import Department

    assert [d.name for d in Department.query.all()] == ["admins"]
