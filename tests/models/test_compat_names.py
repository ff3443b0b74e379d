"""Stalker's names and relations that scripts reach for (issue 17, items 6, 7, 11), both DBs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from wf_helpers import build_project

from stalker_core.exceptions import (
    CircularDependencyError,
    StalkerTypeError,
    ValidationError,
)


def _reload(session: Any, obj: Any) -> Any:
    session.commit()
    session.expire_all()
    return session.get(type(obj), obj.id)


# --- item 6: fields and relations ---------------------------------------------


def test_simple_entity_text_fields_are_stored(session: Any, tmp_path: Path) -> None:
    from stalker_core.models import File

    demo = build_project(session, tmp_path)
    demo.shot.generic_text = '{"camera": "A"}'
    demo.shot.html_style = "color: red"
    demo.shot.html_class = "hero"
    plain = File(full_path="/a.exr")
    session.add(plain)
    session.flush()  # the defaults: empty strings, as in Stalker
    assert (plain.generic_text, plain.html_style, plain.html_class) == ("", "", "")
    shot = _reload(session, demo.shot)
    assert (shot.generic_text, shot.html_style, shot.html_class) == (
        '{"camera": "A"}', "color: red", "hero"
    )
    with pytest.raises(StalkerTypeError, match="html_class"):
        shot.html_class = 12
    with pytest.raises(ValidationError, match="at most 64"):
        shot.html_style = "x" * 65


def test_tjp_ids_match_the_taskjuggler_export(session: Any, tmp_path: Path) -> None:
    from stalker_core.scheduling import to_tjp

    demo = build_project(session, tmp_path)
    assert demo.user.tjp_id == f"User_{demo.user.id}"
    assert demo.project.tjp_id == f"Project_{demo.project.id}"
    assert demo.shot.tjp_id == f"Task_{demo.shot.id}"  # a Shot is a task in the export
    path = f"Project_{demo.project.id}.Task_{demo.shot.id}.Task_{demo.comp.id}"
    assert demo.comp.tjp_abs_id == path
    text = to_tjp(demo.project)
    assert f"task {demo.comp.tjp_id} " in text and f"task {demo.project.tjp_id} " in text


def test_shot_source_range_follows_the_cut_until_set(session: Any, tmp_path: Path) -> None:
    from stalker_core.models import Shot

    demo = build_project(session, tmp_path)
    shot = Shot(code="SH002", project=demo.project, cut_in=1001, cut_out=1100)
    assert (shot.source_in, shot.source_out) == (1001, 1100)
    shot.source_in, shot.source_out = 1010, 1090
    stored = _reload(session, shot)
    assert (stored.source_in, stored.source_out) == (1010, 1090)
    stored.set_source(None, None)
    assert (stored.source_in, stored.source_out) == (1001, 1100)
    with pytest.raises(ValidationError, match="within the cut"):
        stored.source_in = 990
    with pytest.raises(ValidationError, match="from source_in"):
        stored.set_source(1050, 1040)
    with pytest.raises(StalkerTypeError, match="source_out"):
        stored.source_out = "1090"
    given = Shot(code="SH003", project=demo.project, cut_in=1, cut_out=50, source_in=5,
                 source_out=45)
    assert (given.source_in, given.source_out) == (5, 45)


def test_sequences_and_scenes_list_their_shots(session: Any, tmp_path: Path) -> None:
    from stalker_core.models import Scene, Sequence, Shot

    demo = build_project(session, tmp_path)
    seq = Sequence(code="SEQ1", project=demo.project)
    scene = Scene(code="SC1", project=demo.project)
    demo.shot.sequences.append(seq)
    other = Shot(code="SH010", project=demo.project)
    seq.shots.append(other)  # Stalker's side
    scene.shots.append(demo.shot)
    assert seq.shots == [demo.shot, other] and other.sequences == [seq]
    seq = _reload(session, seq)
    assert sorted(s.code for s in seq.shots) == ["SH001", "SH010"]
    assert [s.code for s in session.get(Scene, scene.id).shots] == ["SH001"]
    with pytest.raises(StalkerTypeError, match="Sequence.shots"):
        seq.shots.append(demo.comp)


def test_shot_sequence_is_the_only_sequence(session: Any, tmp_path: Path) -> None:
    from stalker_core.models import Sequence, Shot

    demo = build_project(session, tmp_path)
    seq1 = Sequence(code="SEQ1", project=demo.project)
    seq2 = Sequence(code="SEQ2", project=demo.project)
    shot = Shot(code="SH020", project=demo.project, sequence=seq1)  # Stalker 1.1
    assert shot.sequence is seq1 and shot.sequences == [seq1]
    shot.sequence = seq2
    assert _reload(session, shot).sequence.code == "SEQ2"
    shot = session.get(Shot, shot.id)
    shot.sequences.append(session.get(Sequence, seq1.id))
    with pytest.raises(ValidationError, match="in 2 sequences"):
        _ = shot.sequence
    shot.sequence = None
    assert shot.sequence is None and shot.sequences == []


def test_project_activity_and_progress(session: Any, tmp_path: Path) -> None:
    from stalker_core.models import Status, TimeLog

    demo = build_project(session, tmp_path)
    project = demo.project
    assert project.active is True
    project.status = session.query(Status).filter_by(code="WIP").one()
    assert project.is_active
    project.active = False
    assert not project.is_active
    with pytest.raises(StalkerTypeError, match="Project.active"):
        project.active = "yes"
    project.active = True
    assert project.total_logged_seconds == 0 and project.percent_complete == 0
    schedule = project.schedule_seconds
    assert schedule == sum(t.schedule_seconds for t in project.root_tasks) > 0
    start = dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC)
    demo.comp.resources.append(demo.user)
    session.add(TimeLog(task=demo.comp, resource=demo.user, start=start,
                        end=start + dt.timedelta(hours=1)))
    project = _reload(session, project)
    assert project.total_logged_seconds == 3600
    assert project.percent_complete == pytest.approx(100 * 3600 / schedule)


def test_daily_links_and_daily_file_rows(session: Any, tmp_path: Path) -> None:
    from stalker_core.models import Daily, DailyFile, DailyLink, File

    demo = build_project(session, tmp_path)
    one, two = File(full_path="/r/a.mov"), File(full_path="/r/b.mov")
    daily = Daily(name="D1", project=demo.project, links=[one])  # Stalker 1.0
    assert daily.files == [one] and daily.links == [one]
    session.add(daily)
    session.flush()
    session.add(DailyLink(daily=daily, link=two, rank=2))
    daily = _reload(session, daily)
    assert {f.full_path for f in daily.links} == {"/r/a.mov", "/r/b.mov"}
    rows = session.query(DailyFile).order_by(DailyFile.rank).all()
    assert [(r.file.full_path, r.rank) for r in rows] == [("/r/a.mov", 0), ("/r/b.mov", 2)]
    assert rows[1].link is rows[1].file and DailyLink is DailyFile
    with pytest.raises(StalkerTypeError, match="DailyFile.daily"):
        DailyFile(daily="D1", file=one)


def test_project_client_rows_carry_a_role(session: Any, tmp_path: Path) -> None:
    from stalker_core.models import Client, Project, ProjectClient, Role

    demo = build_project(session, tmp_path)
    client = Client(name="Acme")
    demo.project.clients.append(client)
    session.commit()
    row = session.query(ProjectClient).one()
    assert row.project is demo.project and row.client is client and row.role is None
    row.role = Role(name="Producer")
    session.commit()
    session.expire_all()
    row = session.query(ProjectClient).one()
    assert row.role.name == "Producer" and "Acme" in repr(row)
    assert [c.name for c in session.get(Project, demo.project.id).clients] == ["Acme"]


def test_message_has_a_status_list(session: Any) -> None:
    from stalker_core.db.setup import create_entity_statuses
    from stalker_core.models import Message

    create_entity_statuses("Message", ["New", "Read"], ["NEW", "READ"])
    message = Message(name="hello")
    session.add(message)
    session.commit()
    session.expire_all()
    assert session.get(Message, message.id).status.code == "NEW"


def test_local_session_remembers_a_user(session: Any, tmp_path: Path) -> None:
    from stalker_core.models import User
    from stalker_core.models.auth import LocalSession

    admin = session.query(User).filter_by(login="admin").one()
    path = tmp_path / "sub" / "local.json"
    local = LocalSession(path)
    assert local.logged_in_user is None
    local.store_user(admin)
    local.save()
    assert "admin" not in path.read_text()  # only the id and the end of validity
    again = LocalSession(path)
    assert again.logged_in_user is admin
    assert again.valid_to is not None and again.valid_to > dt.datetime.now(dt.UTC)
    path.write_text('{"logged_in_user_id": 1, "valid_to": "2000-01-01T00:00:00+00:00"}')
    assert LocalSession(path).logged_in_user is None  # expired
    path.write_text("not json")
    assert LocalSession(path).logged_in_user is None
    again.delete()
    assert not path.exists()
    assert LocalSession.session_file_full_path().endswith("local_session.json")


def test_login_error_is_a_stalker_error() -> None:
    from stalker_core.exceptions import LoginError, StalkerError

    assert issubclass(LoginError, StalkerError)


def test_ticket_resolutions_are_stalkers() -> None:
    import stalker.models.ticket as theirs

    import stalker_core.models.ticket as ours

    names = ("FIXED", "INVALID", "WONTFIX", "DUPLICATE", "WORKSFORME", "CANTFIX")
    assert {n: getattr(ours, n) for n in names} == {n: getattr(theirs, n) for n in names}
    assert set(ours.RESOLUTIONS) == {getattr(ours, n) for n in names}


def test_task_constants_follow_our_rules_and_stalkers_bits() -> None:
    import stalker.models.task as theirs

    from stalker_core.models.task import (
        BINARY_STATUS_VALUES,
        CHILDREN_TO_PARENT_STATUSES_MAP,
        PARENT_STATUSES,
    )
    from stalker_core.models.task.status import derive_code

    assert BINARY_STATUS_VALUES == theirs.BINARY_STATUS_VALUES
    stop = BINARY_STATUS_VALUES["STOP"]
    not_started = BINARY_STATUS_VALUES["WFD"] | BINARY_STATUS_VALUES["RTS"]
    for mask, index in theirs.CHILDREN_TO_PARENT_STATUSES_MAP.items():
        if mask and not (mask & stop and mask & not_started):  # the documented difference
            assert CHILDREN_TO_PARENT_STATUSES_MAP[mask] == index, bin(mask)
    wip_and_cmpl = BINARY_STATUS_VALUES["WIP"] | BINARY_STATUS_VALUES["CMPL"]
    assert PARENT_STATUSES[CHILDREN_TO_PARENT_STATUSES_MAP[wip_and_cmpl]] == derive_code(
        ["WIP", "CMPL"]
    )


# --- item 7: explicit paths ------------------------------------------------------


def test_version_full_path_can_be_given(session: Any, tmp_path: Path) -> None:
    from stalker_core.models import Version

    demo = build_project(session, tmp_path)
    rendered = Version(task=demo.comp)
    rendered.update_paths()
    assert rendered.full_path.endswith(rendered.filename) and rendered.path  # the default
    given = Version(task=demo.comp, full_path="$REPO1\\legacy\\SH001\\comp_v7.nk")
    assert (given.path, given.filename) == ("$REPO1/legacy/SH001", "comp_v7.nk")
    assert given.extension == ".nk" and given.full_path == "$REPO1/legacy/SH001/comp_v7.nk"
    given._renumber(given.version_number + 5)  # a concurrent writer took its number
    assert given.full_path == "$REPO1/legacy/SH001/comp_v7.nk"  # kept, not re-rendered
    stored = _reload(session, given)
    assert stored.full_path == "$REPO1/legacy/SH001/comp_v7.nk"
    stored.update_paths()  # rendering again takes over
    assert stored.full_path != "$REPO1/legacy/SH001/comp_v7.nk"


def test_version_generate_path_is_update_paths(session: Any, tmp_path: Path) -> None:
    from stalker_core.models import Version

    demo = build_project(session, tmp_path)
    version = Version(task=demo.comp)
    path = version.generate_path(extension=".nk")
    assert path == PurePosixPath(version.full_path) and version.filename.endswith(".nk")
    other = Version(task=demo.comp)
    other.update_paths()
    other.extension = ".nk"
    assert other.path == version.path


def test_file_path_and_filename_are_settable(session: Any) -> None:
    from stalker_core.models import File

    f = File(full_path="/old/dir/plate.exr")
    f.path = "D:\\new\\dir"
    assert f.full_path == "D:/new/dir/plate.exr"
    f.filename = "plate_v2.exr"
    assert f.full_path == "D:/new/dir/plate_v2.exr" and f.extension == ".exr"
    with pytest.raises(ValidationError, match="without '/'"):
        f.filename = "a/b.exr"
    session.add(f)
    assert _reload(session, f).full_path == "D:/new/dir/plate_v2.exr"


# --- item 11: Stalker 1.1 spellings -----------------------------------------------


def test_references_of_files_tasks_and_projects(session: Any, tmp_path: Path) -> None:
    from stalker_core.models import File, Project, Task

    demo = build_project(session, tmp_path)
    ref, img = File(full_path="/ref/a.jpg"), File(full_path="/ref/b.jpg")
    scene = File(full_path="/work/scene.ma", references=[ref])
    scene.references.append(img)
    demo.comp.references.append(ref)
    demo.project.references.append(img)
    session.add(scene)
    scene = _reload(session, scene)
    assert sorted(f.full_path for f in scene.references) == ["/ref/a.jpg", "/ref/b.jpg"]
    assert [f.full_path for f in session.get(Task, demo.comp.id).references] == ["/ref/a.jpg"]
    assert [f.full_path for f in session.get(Project, demo.project.id).references] == [
        "/ref/b.jpg"
    ]
    with pytest.raises(StalkerTypeError, match="File.references"):
        scene.references.append("/ref/c.jpg")


def test_variant_is_a_task(session: Any, tmp_path: Path) -> None:
    from stalker_core.models import Task, Variant

    demo = build_project(session, tmp_path)
    red = Variant(name="Red", parent=demo.model)
    blue = Variant(name="Blue", parent=demo.model, depends_on=[red])
    session.commit()
    session.expire_all()
    found = session.query(Task).filter(Task.parent_id == demo.model.id).all()
    assert {type(t).__name__ for t in found} == {"Variant"}
    assert session.get(Variant, blue.id).depends_on == [session.get(Variant, red.id)]
    assert session.get(Variant, blue.id).status.code == "WFD"


def test_stalker_mixins_are_bases_of_our_classes() -> None:
    from stalker_core import models
    from stalker_core.models import mixins

    expected = {
        "ScheduleMixin": ["Task", "Shot"],
        "DAGMixin": ["Task", "Version"],
        "ReferenceMixin": ["File", "Task", "Project"],
        "TargetEntityTypeMixin": ["StatusList", "Type", "FilenameTemplate"],
        "ACLMixin": ["Group"],
        "AmountMixin": ["BudgetEntry", "Invoice", "Payment"],
        "UnitMixin": ["Good", "BudgetEntry", "Invoice", "Payment"],
        "WorkingHoursMixin": ["Studio"],
        "StatusMixin": ["Task", "Project", "Ticket", "Message"],
        "DateRangeMixin": ["Task", "Project", "Studio"],
        "ProjectMixin": ["Daily", "Ticket"],
        "CodeMixin": ["Shot", "Project", "Status"],
    }
    for mixin, classes in expected.items():
        for cls in classes:
            assert issubclass(getattr(models, cls), getattr(mixins, mixin)), (cls, mixin)


def test_a_class_keeps_its_own_attributes_over_a_mixins(session: Any, tmp_path: Path) -> None:
    demo = build_project(session, tmp_path)
    with pytest.raises(ValidationError, match="Task.schedule_unit"):
        demo.comp.schedule_unit = "fortnight"  # Task's own rule, not the mixin's
    with pytest.raises(CircularDependencyError):
        demo.shot.parent = demo.comp  # Task's own cycle check


def test_scheduler_base_is_the_schedulers_protocol() -> None:
    from stalker_core.models import Studio
    from stalker_core.models.schedulers import SchedulerBase
    from stalker_core.scheduling import NativeScheduler, TaskJugglerScheduler

    assert isinstance(TaskJugglerScheduler(), SchedulerBase)
    assert isinstance(NativeScheduler(), SchedulerBase)
    assert not issubclass(Studio, SchedulerBase)  # has schedule(), is no scheduler

    class Mine(SchedulerBase):
        def schedule(self, problem: Any) -> Any:
            return problem

    studio = Studio(name="S")
    assert Mine(studio=studio).studio is studio and "S" in repr(Mine(studio))
    with pytest.raises(StalkerTypeError, match="Mine.studio"):
        Mine(studio="S")
    with pytest.raises(TypeError):
        SchedulerBase()  # type: ignore[abstract]
