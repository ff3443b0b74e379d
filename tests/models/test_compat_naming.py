"""Auto-naming: the classes Stalker names ``<ClassName>_<uuid4>`` when no name is given.

The list is not copied: it is read from the installed Stalker (the ``bench``
extra) and compared with ours, class by class.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

import stalker_core.models as ours
from stalker_core.exceptions import StalkerTypeError

UUID_NAME = r"_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
UTC = dt.UTC


def _stalker_classes() -> dict[str, type]:
    stalker = pytest.importorskip("stalker")
    root = stalker.SimpleEntity
    found: dict[str, type] = {"SimpleEntity": root}
    todo = [root]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub.__module__.startswith("stalker.") and sub.__name__ not in found:
                found[sub.__name__] = sub
                todo.append(sub)
    return found


def test_the_same_classes_auto_name_as_in_stalker() -> None:
    theirs = _stalker_classes()
    mine = {name: getattr(ours, name) for name in theirs if hasattr(ours, name)}
    assert len(mine) >= 35, sorted(set(theirs) - set(mine))
    differ = {
        name: (theirs[name].__auto_name__, cls.__auto_name__)  # type: ignore[attr-defined]
        for name, cls in mine.items()
        if theirs[name].__auto_name__ != cls.__auto_name__  # type: ignore[attr-defined]
    }
    assert differ == {}


def _project() -> Any:
    return ours.Project(name="Flying Circus", code="FC")


def _user() -> Any:
    return ours.User(name="Ann", login="ann", email="ann@x.com", password="pw")


# a Stalker fixture's calls, without name=
UNNAMED: dict[str, Any] = {
    "StatusList": lambda: ours.StatusList(
        statuses=[ours.Status(name="New", code="NEW")], target_entity_type="Task"
    ),
    "Note": lambda: ours.Note(content="looks good"),
    "Link": lambda: ours.Link(full_path="/mnt/M/x.jpg"),
    "Review": lambda: ours.Review(task=ours.Task(name="t", project=_project())),
    "EntityGroup": lambda: ours.EntityGroup(),
    "Vacation": lambda: ours.Vacation(
        start=dt.datetime(2025, 1, 1, tzinfo=UTC), end=dt.datetime(2025, 1, 5, tzinfo=UTC)
    ),
    "WorkingHours": lambda: ours.WorkingHours(),
    "TimeLog": lambda: ours.TimeLog(
        task=ours.Task(name="t", project=_project()), resource=_user(),
        start=dt.datetime(2025, 1, 1, 9, tzinfo=UTC), end=dt.datetime(2025, 1, 1, 10, tzinfo=UTC),
    ),
    "AuthenticationLog": lambda: ours.AuthenticationLog(user=_user(), action="login"),
}


@pytest.mark.parametrize("kind", sorted(UNNAMED))
def test_an_unnamed_object_gets_class_name_and_uuid4(kind: str) -> None:
    obj = UNNAMED[kind]()
    cls_name = type(obj).__name__  # Link is File
    assert re.match(re.escape(cls_name) + UUID_NAME, obj.name), obj.name
    assert UNNAMED[kind]().name != obj.name


def test_an_empty_or_none_name_is_generated_too() -> None:
    sl = ours.StatusList(name="", target_entity_type="Task")
    assert re.match("StatusList" + UUID_NAME, sl.name)
    sl.name = None  # type: ignore[assignment]
    assert re.match("StatusList" + UUID_NAME, sl.name)
    sl.name = "Task Statuses"
    assert sl.name == "Task Statuses"


@pytest.mark.parametrize(
    "make",
    [
        lambda: ours.Daily(project=_project()),
        lambda: ours.Repository(linux_path="/mnt/M"),
        lambda: ours.Structure(),
        lambda: ours.FilenameTemplate(target_entity_type="Asset", path="x"),
        lambda: ours.Task(project=_project()),
        lambda: ours.Tag(),
    ],
    ids=["Daily", "Repository", "Structure", "FilenameTemplate", "Task", "Tag"],
)
def test_the_other_classes_still_need_a_name(make: Any) -> None:
    with pytest.raises(TypeError, match="'name'"):  # what Stalker raises
        make()
    with pytest.raises(StalkerTypeError):
        make()


def test_a_shot_auto_names_though_its_task_parent_does_not() -> None:
    assert ours.Shot.__auto_name__ is True and ours.Task.__auto_name__ is False
    assert ours.Shot(code="SH001", project=_project()).name == "SH001"  # ours: the code
