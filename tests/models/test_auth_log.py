"""AuthenticationLog."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from stalker_core.exceptions import NaiveDatetimeError, StalkerTypeError, ValidationError
from stalker_core.models import AuthenticationLog, User
from stalker_core.models.auth_log import LOGIN, LOGOUT


def _user() -> User:
    return User(name="A", login="a", email="a@x.com", password="pw")


def test_valid() -> None:
    log = AuthenticationLog(user=_user(), action=LOGIN)
    assert log.date.tzinfo is not None and log.name.startswith("AuthenticationLog_")


@pytest.mark.parametrize(
    ("kw", "err"),
    [
        ({"action": "signin"}, ValidationError),
        ({"action": 5}, ValidationError),
        ({"user": "a", "action": LOGIN}, StalkerTypeError),
        ({"action": LOGIN, "date": dt.datetime(2020, 1, 1)}, NaiveDatetimeError),
    ],
)
def test_invalid(kw: dict[str, Any], err: type) -> None:
    kw.setdefault("user", _user())
    with pytest.raises(err, match="AuthenticationLog"):
        AuthenticationLog(**kw)


def test_persists(session: Any) -> None:
    u = _user()
    u.authentication_logs.append(AuthenticationLog(user=u, action=LOGIN))
    u.authentication_logs.append(AuthenticationLog(user=u, action=LOGOUT))
    session.add(u)
    session.commit()
    session.expire_all()
    assert [a.action for a in User.query.filter_by(login="a").one().authentication_logs] == [
        "login", "logout"
    ]
