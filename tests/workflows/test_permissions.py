"""Permissions enforced by the writing workflows: a denial names who, what and on what,
and leaves no row, file or folder behind (both databases)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from wf_helpers import Demo

from stalker_core.config import configure, reset
from stalker_core.exceptions import PermissionDeniedError
from stalker_core.testing.fake_host import FakeHost
from stalker_core.workflows import open_as_new_version, publish, save_as_version
from stalker_core.workflows.permissions import (
    anonymous_allowed,
    artists_group,
    authorize,
    database_kind,
    grant,
)


def paths_under(root: Path) -> set[str]:
    """Every file and folder below ``root``."""
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


def count(session: Any, cls: Any) -> int:
    session.expire_all()
    return int(session.scalar(select(func.count()).select_from(cls)))


def make_intern(session: Any, *, deny: tuple[str, ...] = ("Create", "Update")) -> Any:
    """A user in the artists group and in a group denying ``deny`` on Version."""
    from stalker_core.models import Group, User

    intern = User(name="Intern", login="intern", email="intern@example.com", password="pw")
    artists_group([intern], session=session)
    interns = Group(name="interns", users=[intern])
    grant(interns, [("Deny", action, "Version") for action in deny], session=session)
    session.add_all([intern, interns])
    session.commit()
    return intern


@pytest.fixture
def anonymous() -> Iterator[Callable[[str], None]]:
    """Set ``permissions.anonymous`` for the test (restored afterwards)."""
    yield lambda mode: configure(permissions_anonymous=mode) and None
    reset()


@pytest.fixture
def nobody_at_the_keyboard(demo: Demo, monkeypatch: pytest.MonkeyPatch) -> None:
    """The OS login is no user of the database."""
    monkeypatch.setattr("stalker_core.context.os_login", lambda: "somebody_else")


def test_a_denied_save_writes_nothing(session: Any, demo: Demo, pm: Any, host: FakeHost) -> None:
    from stalker_core.models import Version

    intern = make_intern(session)
    before, versions = paths_under(demo.root), count(session, Version)
    host.edit("work")
    with pytest.raises(PermissionDeniedError) as caught:
        save_as_version(host, demo.comp, user="intern", session=session, pm=pm)
    message = str(caught.value)
    assert "'intern'" in message and "Create" in message and "'SH001/comp'" in message
    assert caught.value.user is intern and caught.value.action == "Create"
    assert paths_under(demo.root) == before
    assert count(session, Version) == versions
    assert host.called("save_file") == [] and host.current_file() is None


def test_allowed_users_still_save_and_publish(session: Any, demo: Demo, pm: Any) -> None:
    from stalker_core.models import User

    host = FakeHost(frame_range=(1001, 1050))
    host.edit("work")
    v = save_as_version(host, demo.comp, user=demo.user, session=session, pm=pm)
    assert v.created_by is demo.user
    assert publish(host, v, user="artist", session=session, pm=pm).published
    admin = session.scalars(select(User).where(User.login == "admin")).one()
    host.edit("more")
    assert save_as_version(host, demo.comp, user=admin, session=session, pm=pm).version_number == 2


def test_a_denied_publish_writes_nothing(session: Any, demo: Demo, pm: Any) -> None:
    from stalker_core.models import File

    make_intern(session, deny=("Update",))
    host = FakeHost(frame_range=(1001, 1050))
    host.edit("work")
    v = save_as_version(host, demo.comp, user="intern", session=session, pm=pm)  # may create
    before, files = paths_under(demo.root), count(session, File)
    with pytest.raises(PermissionDeniedError, match=rf"'intern' may not Update version {v.id}"):
        publish(host, v, user="intern", session=session, pm=pm)
    assert paths_under(demo.root) == before
    assert count(session, File) == files
    session.refresh(v)
    assert not v.is_published


def test_open_as_new_version_is_refused_before_the_file_is_opened(
    session: Any, demo: Demo, pm: Any
) -> None:
    from stalker_core.models import Version

    host = FakeHost()
    host.edit("work")
    v1 = save_as_version(host, demo.comp, session=session, pm=pm)
    make_intern(session)
    other = FakeHost()
    before, versions = paths_under(demo.root), count(session, Version)
    with pytest.raises(PermissionDeniedError, match="may not Create a Version of task"):
        open_as_new_version(other, v1, user="intern", session=session, pm=pm, force=True)
    assert other.called("open_file") == [] and other.current_file() is None
    assert paths_under(demo.root) == before and count(session, Version) == versions


def test_a_user_without_any_group_may_not_save(
    session: Any, demo: Demo, pm: Any, host: FakeHost
) -> None:
    from stalker_core.models import User

    session.add(User(name="New", login="newcomer", email="n@example.com", password="pw"))
    session.commit()
    with pytest.raises(PermissionDeniedError, match="no group of theirs allows Create on Version"):
        save_as_version(host, demo.comp, user="newcomer", session=session, pm=pm)


def test_the_os_login_is_the_acting_user(session: Any, demo: Demo, pm: Any, host: FakeHost,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    make_intern(session)
    monkeypatch.setattr("stalker_core.context.os_login", lambda: "intern")
    with pytest.raises(PermissionDeniedError, match="'intern' may not Create"):
        save_as_version(host, demo.comp, session=session, pm=pm)
    monkeypatch.setattr("stalker_core.context.os_login", lambda: "artist")
    assert save_as_version(host, demo.comp, session=session, pm=pm).created_by is demo.user


@pytest.mark.usefixtures("nobody_at_the_keyboard")
def test_anonymous_writes_follow_the_setting(
    session: Any, demo: Demo, pm: Any, host: FakeHost, anonymous: Callable[[str], None]
) -> None:
    from stalker_core.models import Version

    kind = database_kind(session)
    assert anonymous_allowed(session) is (kind == "sqlite")  # the default, "local"
    anonymous("deny")
    before = paths_under(demo.root)
    with pytest.raises(PermissionDeniedError) as caught:
        save_as_version(host, demo.comp, session=session, pm=pm)
    message = str(caught.value)
    assert "anonymously" in message and "'somebody_else'" in message
    assert "Create a Version of task 'SH001/comp'" in message
    assert "permissions.anonymous" in message
    assert paths_under(demo.root) == before and count(session, Version) == 0
    anonymous("allow")
    v = save_as_version(host, demo.comp, session=session, pm=pm)
    assert v.created_by is None
    assert authorize("Update", v, session=session) is None


@pytest.mark.usefixtures("nobody_at_the_keyboard")
def test_anonymous_publish_on_a_server_database_is_refused_by_default(
    session: Any, demo: Demo, pm: Any, anonymous: Callable[[str], None]
) -> None:
    host = FakeHost(frame_range=(1001, 1050))
    host.edit("work")
    v = save_as_version(host, demo.comp, user="artist", session=session, pm=pm)
    if database_kind(session) == "sqlite":
        assert publish(host, v, session=session, pm=pm).published
        return
    with pytest.raises(PermissionDeniedError, match=rf"nobody may Update version {v.id}"):
        publish(host, v, session=session, pm=pm)
    session.refresh(v)
    assert not v.is_published


def test_grant_reuses_the_rows_of_db_init(session: Any) -> None:
    from stalker_core.models import Group, Permission

    rows = count(session, Permission)
    group = grant(Group(name="readers"),
                  [("Allow", "Read", "Project"), ("allow", "read", "Project")], session=session)
    session.add(group)
    session.commit()
    assert count(session, Permission) == rows  # db.init() made that Allow row
    assert [(p.access, p.action, p.class_name) for p in group.permissions] == [
        ("Allow", "Read", "Project")]
    again = artists_group(session=session)
    assert artists_group(session=session) is again
