"""Project: repositories, status from the status list, users, clients, validation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from stalker_core.exceptions import NaiveDatetimeError, StalkerTypeError, ValidationError
from stalker_core.models import (
    Client,
    ImageFormat,
    Project,
    Repository,
    Status,
    StatusList,
    User,
)


def _statuses() -> StatusList:
    return StatusList(
        name="Project Status List",
        statuses=[Status(name="New", code="NEW"), Status(name="WIP", code="WIP")],
        target_entity_type=Project,
    )


def test_repositories_are_ordered_and_repository_is_the_first() -> None:
    r1, r2 = Repository(name="R1", code="R1"), Repository(name="R2", code="R2")
    p = Project(name="P", code="P", repositories=[r2, r1])
    assert p.repository is r2 and p.repositories == [r2, r1]
    p.repositories = [r1]
    assert p.repository is r1
    assert Project(name="Q", code="Q").repository is None
    with pytest.raises(StalkerTypeError, match="Project.repositories should be a Repository"):
        p.repositories.append("/mnt/M")


def test_status_from_the_given_list() -> None:
    sl = _statuses()
    p = Project(name="P", code="P", status_list=sl)
    assert p.status is sl["NEW"]
    p.status = sl["WIP"]
    with pytest.raises(ValidationError, match="Project.status"):
        p.status = Status(name="Other", code="OTH")
    with pytest.raises(StalkerTypeError, match="Project.status"):
        p.status = "WIP"


def test_status_list_for_another_class_is_refused() -> None:
    sl = StatusList(name="T", statuses=[], target_entity_type="Task")
    with pytest.raises(ValidationError, match="Project.status_list"):
        Project(name="P", code="P", status_list=sl)


@pytest.mark.parametrize(
    ("kw", "err"),
    [
        ({"fps": 0}, ValidationError),
        ({"fps": "25"}, StalkerTypeError),
        ({"image_format": "HD"}, StalkerTypeError),
        ({"structure": 1}, StalkerTypeError),
        ({"end": dt.datetime(2014, 5, 15)}, NaiveDatetimeError),
        ({"is_stereoscopic": 1}, StalkerTypeError),
        ({"code": ""}, ValidationError),
        ({"users": ["me"]}, StalkerTypeError),
        ({"clients": ["ACME"]}, StalkerTypeError),
    ],
)
def test_invalid(kw: dict[str, Any], err: type) -> None:
    args = {"name": "P", "code": "P", **kw}
    with pytest.raises(err, match="Project"):
        Project(**args)


def test_default_status_list_and_status_from_the_database(session: Any) -> None:
    p = Project(name="P", code="P")
    session.add(p)
    session.commit()
    assert p.status_list.target_entity_type == "Project"
    assert p.status.code == "RTS"


def test_full_project_persists(session: Any) -> None:
    me = User(name="Me", login="me", email="me@x.com", password="pw")
    new = Status.query.filter_by(code="NEW").one()
    wip = Status.query.filter_by(code="WIP").one()
    sl = StatusList(name="Project Status List", statuses=[new, wip], target_entity_type="Project")
    repo = Repository(name="Commercial Repository", code="CR")
    p = Project(name="Fancy Commercial", code="FC", status_list=sl, repositories=[repo])
    assert p.status is new
    p.description = "shiny"
    p.image_format = ImageFormat(name="HD 1080", width=1920, height=1080)
    p.fps = 25
    p.start = dt.datetime(2014, 4, 1, tzinfo=dt.UTC)
    p.end = dt.datetime(2014, 5, 15, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    p.users.append(me)
    p.users.append(me)
    p.clients.append(Client(name="ACME"))
    session.add(p)
    session.commit()
    session.expire_all()
    got = Project.query.filter_by(code="FC").one()
    assert got.status.code == "NEW" and got.status_list is sl
    assert got.repository.code == "CR"
    assert got.image_format.width == 1920 and got.fps == 25
    assert got.users == [me] and me.projects == [got]
    assert got.end == dt.datetime(2014, 5, 14, 21, tzinfo=dt.UTC)
    assert got.duration == dt.timedelta(days=43, hours=21)
    assert [c.name for c in got.clients] == ["ACME"]
    assert got.description == "shiny"


def test_create_structure_delegates() -> None:
    from stalker_core.models import services

    seen: list[Project] = []
    with services.override("create_project_structure", lambda p: seen.append(p) or []):
        p = Project(name="P", code="P")
        assert p.create_structure() == []
    assert seen == [p]


def test_fps_and_stereo_defaults_are_the_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """The constructor's defaults are read from the column declarations, not restated."""
    fps = Project.__table__.c.fps.default
    stereo = Project.__table__.c.is_stereoscopic.default
    assert Project(name="P", code="P").fps == fps.arg == 25.0
    monkeypatch.setattr(fps, "arg", 30.0)
    monkeypatch.setattr(stereo, "arg", True)
    p = Project(name="Q", code="Q")
    assert (p.fps, p.is_stereoscopic) == (30.0, True)
