"""``DBSession.save(obj_or_list)``: Stalker's add-and-commit, on both databases."""

from __future__ import annotations

from typing import Any

import pytest

from stalker_core.exceptions import ValidationError
from stalker_core.models import Project, Repository, Tag, User


def test_save_adds_and_commits_one_object(session: Any) -> None:
    repo = Repository(name="Commercials", code="CR", linux_path="/mnt/M/commercials")
    session.save(Project(name="Flying Circus", code="FC", repositories=[repo]))
    session.remove()  # a new session sees only what was committed
    stored = Project.query.filter_by(code="FC").one()
    assert [r.code for r in stored.repositories] == ["CR"]


def test_save_takes_a_list(session: Any) -> None:
    session.save([Tag(name="hero"), Tag(name="prop")])
    session.remove()
    assert sorted(t.name for t in Tag.query.all()) == ["hero", "prop"]


def test_save_without_argument_commits_what_was_added(session: Any) -> None:
    session.add(Tag(name="fx"))
    session.save()
    session.rollback()  # nothing pending any more: the tag stays
    assert Tag.query.filter_by(name="fx").count() == 1


def test_a_failed_save_rolls_back_and_the_session_stays_usable(session: Any) -> None:
    session.save(User(name="A", login="a", email="a@x.com", password="pw"))
    with pytest.raises(ValidationError, match="'a' is already the login"):
        session.save(User(name="B", login="a", email="b@x.com", password="pw"))
    session.save(Tag(name="after"))  # no "rollback first" error
    assert User.query.filter_by(login="a").count() == 1
    assert Tag.query.filter_by(name="after").count() == 1
