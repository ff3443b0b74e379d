"""Vacation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from stalker_core.exceptions import NaiveDatetimeError, StalkerTypeError, ValidationError
from stalker_core.models import Studio, User, Vacation

UTC = dt.UTC
D1 = dt.datetime(2025, 7, 1, tzinfo=UTC)
D2 = dt.datetime(2025, 7, 10, tzinfo=UTC)


def test_valid() -> None:
    v = Vacation(start=D1, end=D2)
    assert v.duration == dt.timedelta(days=9)
    assert v.user is None and v.name.startswith("Vacation_")


@pytest.mark.parametrize(
    ("kw", "err"),
    [
        ({"start": D2, "end": D1}, ValidationError),
        ({"start": D1, "end": D1}, ValidationError),
        ({"start": dt.datetime(2025, 7, 1), "end": D2}, NaiveDatetimeError),
        ({"start": "2025-07-01", "end": D2}, StalkerTypeError),
        ({"start": D1}, StalkerTypeError),
        ({"start": D1, "end": D2, "user": "bob"}, StalkerTypeError),
    ],
)
def test_invalid(kw: dict[str, Any], err: type) -> None:
    with pytest.raises(err, match="Vacation"):
        Vacation(**kw)


def test_user_and_studio_wide_vacations(session: Any) -> None:
    u = User(name="A", login="a", email="a@x.com", password="pw")
    Vacation(user=u, start=D1, end=D2)
    studio = Studio(name="S")
    session.add_all([u, studio, Vacation(name="Holiday", start=D1, end=D2)])
    session.commit()
    session.expire_all()
    assert len(User.query.filter_by(login="a").one().vacations) == 1
    assert [v.name for v in studio.vacations] == ["Holiday"]
