"""Version: numbering, naming, paths, extension, relations, latest versions, bad input."""

from __future__ import annotations

from typing import Any

import pytest
from sql_probe import statements_sent
from test_vers_helpers import build_world

from stalker_core.exceptions import (
    PathEscapeError,
    RepositoryError,
    StalkerTypeError,
    TemplateNotFoundError,
    TemplateRenderError,
    ValidationError,
)
from stalker_core.models import Asset, File, FilenameTemplate, Task, Version
from stalker_core.models import repository as repo_mod


@pytest.fixture
def world(session: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(repo_mod, "current_os", lambda: "linux")
    return build_world(session)


def count_versions(session: Any) -> int:
    return session.query(Version).count()


# -- numbering -------------------------------------------------------------------


def test_numbers_per_task_and_take(session: Any, world: Any) -> None:
    v1 = Version(task=world.comp)
    assert v1.version_number == 1
    assert v1.take_name == "Main"
    session.commit()
    v2 = Version(task=world.comp)
    assert v2.version_number == 2
    other = Version(task=world.comp, take_name="Alt")
    assert other.version_number == 1
    shot_v = Version(task=world.shot)
    assert shot_v.version_number == 1
    session.commit()
    assert sorted((v.take_name, v.version_number) for v in world.comp.versions) == [
        ("Alt", 1),
        ("Main", 1),
        ("Main", 2),
    ]


def test_two_versions_before_a_flush_get_consecutive_numbers(session: Any, world: Any) -> None:
    a = Version(task=world.comp)
    b = Version(task=world.comp)
    c = Version(task=world.comp, take_name="Alt")
    d = Version(task=world.comp)
    assert [a.version_number, b.version_number, c.version_number, d.version_number] == [
        1,
        2,
        1,
        3,
    ]
    session.commit()
    assert sorted(v.version_number for v in world.comp.versions if v.take_name == "Main") == [
        1,
        2,
        3,
    ]


def test_numbering_with_a_new_unflushed_task(session: Any, world: Any) -> None:
    task = Task(name="fx", parent=world.shot, project=world.project)
    a = Version(task=task)
    b = Version(task=task)
    assert (a.version_number, b.version_number) == (1, 2)
    session.commit()
    assert Version(task=task).version_number == 3


def test_numbering_without_session() -> None:
    from stalker_core.models import Project

    task = Task(name="loose", project=Project(name="Loose", code="LS"))
    a, b = Version(task=task), Version(task=task)
    assert (a.version_number, b.version_number) == (1, 2)


def test_changing_take_renumbers(session: Any, world: Any) -> None:
    Version(task=world.comp)
    session.commit()
    v = Version(task=world.comp)
    assert v.version_number == 2
    v.update_paths()
    v.take_name = "Alt"
    assert v.version_number == 1
    session.commit()
    assert v.version_number == 1
    assert v.filename == "SH001_comp_Alt_v001"  # rendered again for the new take


def test_changing_take_is_made_final_at_flush(session: Any, world: Any) -> None:
    """The take_name validator does not query; the flush fixes a provisional number."""
    Version(task=world.comp, take_name="Alt")
    Version(task=world.comp, take_name="Alt")
    session.commit()
    v = Version(task=world.comp)
    v.update_paths()
    v.take_name = "Alt"  # the session does not know Alt's stored maximum yet
    session.flush()
    assert v.version_number == 3
    assert v.filename == "SH001_comp_Alt_v003"
    session.commit()


def test_explicit_number_kept(session: Any, world: Any) -> None:
    v = Version(task=world.comp, version_number=10)
    assert v.version_number == 10
    session.commit()
    assert Version(task=world.comp).version_number == 11


def test_a_hand_set_number_that_exists_is_refused_clearly(session: Any, world: Any) -> None:
    Version(task=world.comp)
    Version(task=world.comp)
    session.commit()
    Version(task=world.comp, version_number=1)
    with pytest.raises(ValidationError, match=r"version number 1 of task 'comp' take 'Main' "
                       r"exists already; leave version_number out .*\(3 or above\)"):
        session.flush()
    session.rollback()
    Version(task=world.comp, version_number=7)
    Version(task=world.comp, version_number=7)
    with pytest.raises(ValidationError, match="version number 7 .* exists already"):
        session.flush()
    session.rollback()
    kept = Version(task=world.comp, version_number=5)  # a free number is kept
    session.commit()
    assert kept.version_number == 5 and count_versions(session) == 3


def test_the_take_of_a_stored_version_cannot_change(session: Any, world: Any) -> None:
    v = Version(task=world.comp)
    Version(task=world.comp, take_name="Alt")
    session.commit()
    with pytest.raises(ValidationError, match="take_name cannot change once the version is "
                       "stored: version 1 and its file belong to take 'Main'"):
        v.take_name = "Alt"
    v.take_name = "Main"  # the same take: nothing changes
    session.commit()
    assert (v.take_name, v.version_number) == ("Main", 1)


def test_another_writer_forces_renumber_and_rerender(session: Any, world: Any) -> None:
    """A second session takes numbers 1 and 2 after ours were assigned; the flush renumbers.

    PostgreSQL only: on SQLite our open read transaction blocks the other writer's
    commit (writers are serialised there; the unique constraint is the guard).
    """
    from stalker_core.orm.session import StalkerSession

    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("needs concurrent writers (PostgreSQL)")

    mine = Version(task=world.comp)
    mine.update_paths()
    assert mine.filename == "SH001_comp_Main_v001"
    with StalkerSession(session.get_bind()) as other:
        comp = other.get(Task, world.comp.id)
        Version(task=comp)
        Version(task=comp)
        other.commit()
    session.flush()
    assert mine.version_number == 3
    assert mine.filename == "SH001_comp_Main_v003"
    assert mine.name == "SH001_comp_Main_v003"
    session.commit()
    assert sorted(v.version_number for v in Version.query.filter_by(task=world.comp)) == [1, 2, 3]


def test_remembered_maximum_is_only_a_hint(session: Any, world: Any) -> None:
    """Across commits the session remembers the maximum; the flush corrects a stale one."""
    from stalker_core.orm.session import StalkerSession

    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("needs concurrent writers (PostgreSQL)")
    Version(task=world.comp)
    session.commit()
    with StalkerSession(session.get_bind()) as other:
        comp = other.get(Task, world.comp.id)
        Version(task=comp)
        Version(task=comp)
        other.commit()
    mine = Version(task=world.comp)
    mine.update_paths()
    assert mine.version_number == 2  # provisional: the session's hint
    session.commit()
    assert mine.version_number == 4
    assert mine.filename == "SH001_comp_Main_v004"
    assert Version(task=world.comp).version_number == 5


def test_a_version_committed_alone_sends_the_re_read_and_its_two_rows(
    session: Any, world: Any
) -> None:
    """Per commit: the flush's re-read of the highest number (on PostgreSQL after locking the
    task, in the same round trip with psycopg2) and the two INSERTs; nothing is loaded again."""
    Version(task=world.comp)
    session.commit()  # the session knows the task's highest number from here on
    made: list[Version] = []

    def commit_two() -> None:
        for _ in range(2):
            version = Version(task=world.comp)
            version.update_paths()
            session.commit()
            # the server defaults' columns hold their (Python) defaults: not read back
            assert (version.generic_text, version.html_style, version.html_class) == ("", "", "")
            made.append(version)

    with statements_sent(session) as sent:
        commit_two()
    assert [v.version_number for v in made] == [2, 3]
    assert made[1].filename == "SH001_comp_Main_v003"
    driver = session.get_bind().dialect.driver
    re_read = 2 if driver not in ("pysqlite", "psycopg2") else 1  # psycopg 3: lock, then read
    per_commit = re_read + 2
    assert len(sent) == 2 * per_commit, sent
    for first in (0, per_commit):
        commit = sent[first : first + per_commit]
        assert "max(version_number)" in commit[re_read - 1]
        assert [s.split()[:3] for s in commit[re_read:]] == [
            ["INSERT", "INTO", "simple_entities"],
            ["INSERT", "INTO", "versions"],
        ]
        # at most the new id comes back (PostgreSQL), not the columns with server defaults
        assert commit[re_read].partition(" RETURNING ")[2] in ("", "simple_entities.id")


def test_a_writer_between_our_commits_is_caught_by_the_re_read(session: Any, world: Any) -> None:
    """Another session commits versions between two of ours (both backends): the number our
    session remembers is stale, the flush's re-read renumbers and renders the paths again."""
    from stalker_core.orm.session import StalkerSession

    first = Version(task=world.comp)
    first.update_paths()
    session.commit()
    with StalkerSession(session.get_bind(), expire_on_commit=False) as other:
        comp = other.get(Task, world.comp.id)
        for _ in range(2):
            Version(task=comp).update_paths()
        other.commit()
    mine = Version(task=world.comp)
    mine.update_paths()
    assert mine.version_number == 2  # provisional: what the session knew
    session.commit()
    assert (mine.version_number, mine.filename, mine.name) == (
        4, "SH001_comp_Main_v004", "SH001_comp_Main_v004"
    )
    session.expire_all()
    numbers = sorted(v.version_number for v in Version.query.filter_by(task=world.comp))
    assert numbers == [1, 2, 3, 4]


# -- naming and paths -------------------------------------------------------------------


def test_tutorial_values(session: Any, world: Any) -> None:
    v = Version(task=world.comp)
    v.update_paths()
    rid = world.repo.id
    assert v.path == f"$REPO{rid}/FC/SH001/comp"
    assert v.filename == "SH001_comp_Main_v001"
    assert v.full_path == f"$REPO{rid}/FC/SH001/comp/SH001_comp_Main_v001"
    assert v.absolute_path == "/mnt/M/commercials/FC/SH001/comp"
    assert v.absolute_full_path == "/mnt/M/commercials/FC/SH001/comp/SH001_comp_Main_v001"
    assert repr(v) == "<FC_SH001_comp_Main_v001 (Version)>"
    session.commit()
    v2 = Version(task=world.comp)
    v2.update_paths()
    session.commit()
    v3 = Version(task=world.comp)
    v3.update_paths()
    assert v3.filename == "SH001_comp_Main_v003"
    assert world.comp.versions == Version.query.filter_by(task=world.comp).all()


def test_absolute_path_on_other_os(session: Any, world: Any, monkeypatch: Any) -> None:
    v = Version(task=world.comp)
    v.update_paths()
    monkeypatch.setattr(repo_mod, "current_os", lambda: "windows")
    assert v.absolute_full_path == "M:/commercials/FC/SH001/comp/SH001_comp_Main_v001"
    monkeypatch.setattr(repo_mod, "current_os", lambda: "macos")
    assert v.absolute_path == "/Volumes/M/commercials/FC/SH001/comp"


def test_naming_parents_and_nice_name(session: Any, world: Any) -> None:
    anim = Task(name="Anim Work", parent=world.comp, project=world.project)
    v = Version(task=anim, take_name="Blocking-2")
    assert v.naming_parents == [world.shot, world.comp, anim]
    assert v.nice_name == "SH001_comp_Anim_Work_Blocking-2"
    top = Task(name="Pre Production", project=world.project)
    sub = Task(name="Concept", parent=top, project=world.project)
    assert Version(task=sub).naming_parents == [top, sub]
    from stalker_core.models import Type

    char_type = Type(name="Character", code="Char", target_entity_type="Asset")
    char = Asset(name="Hero Char", code="HERO", project=world.project, parent=top, type=char_type)
    model = Task(name="model", parent=char, project=world.project)
    assert Version(task=model).nice_name == "Hero_Char_model_Main"


def test_extension_appended_and_settable(session: Any, world: Any) -> None:
    v = Version(task=world.comp, extension="blend")
    assert v.extension == ".blend"
    v.update_paths()
    assert v.filename == "SH001_comp_Main_v001.blend"
    v.extension = ".ma"
    assert v.filename == "SH001_comp_Main_v001.ma"
    assert v.absolute_full_path.endswith("/SH001_comp_Main_v001.ma")
    v.extension = ""
    assert v.filename == "SH001_comp_Main_v001"
    v.extension = ".nk"
    session.commit()
    vid = v.id
    session.expunge_all()
    loaded = session.get(Version, vid)
    assert loaded.extension == ".nk"
    loaded.update_paths()
    assert loaded.filename == "SH001_comp_Main_v001.nk"
    with pytest.raises(ValidationError, match="extension"):
        loaded.extension = "./x"
    with pytest.raises(StalkerTypeError):
        loaded.extension = 3  # type: ignore[assignment]


def test_asset_and_shot_fall_back_to_task_template(session: Any, world: Any) -> None:
    shot_v = Version(task=world.shot)
    shot_v.update_paths()
    assert shot_v.path == f"$REPO{world.repo.id}/FC/SH001"
    shot_tpl = FilenameTemplate(
        name="Shot T",
        target_entity_type="Shot",
        path="$REPO{{project.repository.id}}/{{project.code}}/Shots/{{shot.code}}",
        filename="{{shot.code}}_{{version.take_name}}_v{{'%03d'|format(version.version_number)}}",
    )
    world.structure.templates.append(shot_tpl)
    shot_v.update_paths()
    assert shot_v.full_path == f"$REPO{world.repo.id}/FC/Shots/SH001/SH001_Main_v001"


def test_context_variables(session: Any, world: Any) -> None:
    world.task_template.path = (
        "$REPO{{project.repository.id}}/{{sequence is none}}/{{shot.code}}/{{task.name}}"
        "/{{asset is none}}/{{scene is none}}/{{type is none}}"
    )
    v = Version(task=world.comp)
    v.update_paths()
    assert v.path == f"$REPO{world.repo.id}/True/SH001/comp/True/True/True"


# -- bad input: our errors, nothing written ---------------------------------------------------


def test_version_for_a_non_task(session: Any, world: Any) -> None:
    before = count_versions(session)
    with pytest.raises(StalkerTypeError, match="Version.task should be a Task"):
        Version(task=world.project)
    with pytest.raises(ValidationError, match="Version.task"):
        Version()
    session.commit()
    assert count_versions(session) == before


@pytest.mark.parametrize("bad", [-1, 0])
def test_bad_version_number(session: Any, world: Any, bad: int) -> None:
    with pytest.raises(ValidationError, match="positive"):
        Version(task=world.comp, version_number=bad)
    v = Version(task=world.comp)
    with pytest.raises(ValidationError, match="positive"):
        v.version_number = bad
    with pytest.raises(StalkerTypeError):
        Version(task=world.comp, version_number="3")
    with pytest.raises(StalkerTypeError):
        Version(task=world.comp, version_number=True)
    v.discard()  # undo the valid one: nothing must be left
    session.commit()
    assert count_versions(session) == 0


@pytest.mark.parametrize("bad", ["", "a/b", "..", "Main Take", 5])
def test_bad_take_name(session: Any, world: Any, bad: Any) -> None:
    with pytest.raises(ValidationError):
        Version(task=world.comp, take_name=bad)
    session.commit()
    assert count_versions(session) == 0


def test_missing_variable_leaves_paths_untouched(session: Any, world: Any) -> None:
    v = Version(task=world.comp)
    world.task_template.filename = "{{ version.nice_nam }}"
    with pytest.raises(TemplateRenderError, match="'nice_nam'") as info:
        v.update_paths()
    assert "FilenameTemplate 'Task Template' (Task).filename" in str(info.value)
    assert (v.path, v.filename) == ("", "")


def test_syntax_error_in_template(world: Any) -> None:
    with pytest.raises(TemplateRenderError, match="syntax error"):
        world.task_template.path = "{% for p in parent_tasks %}"


@pytest.mark.parametrize(
    "path",
    [
        "$REPO{{project.repository.id}}/../../etc",
        "/etc/{{project.code}}",
        "{{ '..' }}/x",
    ],
)
def test_path_escaping_repository(session: Any, world: Any, path: str) -> None:
    world.task_template.path = path
    v = Version(task=world.comp)
    with pytest.raises(PathEscapeError):
        v.update_paths()
    assert v.path == ""


def test_name_escaping_repository(session: Any, world: Any) -> None:
    world.task_template.filename = "{{ '../' ~ version.nice_name }}"
    v = Version(task=world.comp)
    with pytest.raises(PathEscapeError):
        v.update_paths()


def test_no_template(session: Any, world: Any) -> None:
    world.structure.templates = []
    v = Version(task=world.comp)
    with pytest.raises(TemplateNotFoundError, match="'Project FC'.*'Structure FC'.*'Task'"):
        v.update_paths()


def test_unknown_repo_in_path(session: Any, world: Any) -> None:
    v = Version(task=world.comp)
    v.path = "$REPO999999/FC"
    with pytest.raises(RepositoryError, match="REPO999999"):
        _ = v.absolute_path


# -- relations ----------------------------------------------------------------------------


def test_inputs_outputs_parent_and_fields(session: Any, world: Any) -> None:
    src = File(name="plate", full_path="$REPOFC/plates/plate.####.exr")
    render = File(name="render", full_path="$REPOFC/renders/comp.####.exr")
    v1 = Version(task=world.comp, created_with="Nuke", description="first")
    v2 = Version(task=world.comp, parent=v1, inputs=[src], outputs=[render], is_published=True)
    session.commit()
    assert v2.parent is v1 and v1.children == [v2]
    assert v2.inputs[0].full_path.endswith("plate.####.exr")
    assert v2.outputs == [render]
    assert v1.created_with == "Nuke" and v1.description == "first"
    with pytest.raises(StalkerTypeError):
        v2.inputs.append("not a file")  # type: ignore[arg-type]
    with pytest.raises(StalkerTypeError):
        Version(task=world.comp, is_published="yes")
    with pytest.raises(ValidationError):
        v1.parent = v2  # a cycle
    with pytest.raises(StalkerTypeError):
        v1.parent = src  # type: ignore[assignment]


def test_a_parent_cycle_through_stored_versions_not_in_memory_is_refused(
    session: Any, world: Any
) -> None:
    v1 = Version(task=world.comp)
    session.commit()
    v2 = Version(task=world.comp, take_name="alt", parent=v1)
    session.commit()
    anim = Task(name="anim", parent=world.shot, project=world.project)
    v3 = Version(task=anim, parent=v2)  # across takes and tasks
    session.commit()
    session.expire_all()  # no parent in memory: the chain v3 -> v2 -> v1 is only in rows
    with pytest.raises(ValidationError, match="not itself nor one of its children"):
        v1.parent = v3
    session.rollback()
    session.expire_all()
    assert v1.parent is None and v3.parent is v2 and v2.parent is v1


def test_update_paths_refuses_to_leave_a_stored_versions_file_behind(
    session: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.setattr(repo_mod, "current_os", lambda: "linux")
    world = build_world(session, root=str(tmp_path))
    v = Version(task=world.comp)
    v.update_paths()
    session.commit()
    v.update_paths()  # the same paths: nothing to refuse
    world.comp.name = "grade"  # the template now renders .../grade/SH001_grade_...
    session.commit()
    v.update_paths()  # no file on disk yet: the row may follow the template
    assert v.filename == "SH001_grade_Main_v001"
    session.commit()
    written = tmp_path / v.full_path.split("/", 1)[1]
    written.parent.mkdir(parents=True)
    written.write_text("scene")
    world.comp.name = "comp"
    session.commit()
    with pytest.raises(ValidationError, match=r"has its file at .*SH001_grade_Main_v001; "
                       r"update_paths\(\) would point it at .*SH001_comp_Main_v001"):
        v.update_paths()
    assert v.filename == "SH001_grade_Main_v001"  # unchanged
    assert written.read_text() == "scene"


def test_latest_versions(session: Any, world: Any) -> None:
    v1 = Version(task=world.comp, is_published=True)
    v2 = Version(task=world.comp, is_published=True)
    v3 = Version(task=world.comp)
    alt = Version(task=world.comp, take_name="Alt", is_published=True)
    # pending (no flush yet) versions count too
    assert v1.latest_version is v3
    assert v1.latest_published_version is v2
    assert v1.max_version_number == 3
    session.commit()
    assert v1.latest_version is v3
    assert v3.latest_published_version is v2
    assert v2.is_latest_published_version()
    assert not v1.is_latest_published_version()
    assert not v3.is_latest_published_version()
    assert alt.is_latest_published_version()
    assert alt.max_version_number == 1
    v4 = Version(task=world.comp, is_published=True)
    assert v1.latest_published_version is v4
    assert v1.max_version_number == 4


def test_reserve_version(session: Any, world: Any) -> None:
    from stalker_core.models.version.numbering import reserve_version

    v = reserve_version(session, world.comp, "Main", extension=".nk", created_with="Nuke")
    assert v.id is not None  # flushed: number and paths final
    assert v.full_path.endswith("SH001_comp_Main_v001.nk")
    session.commit()
    world.structure.templates = []
    with pytest.raises(TemplateNotFoundError):
        reserve_version(session, world.comp, "Main")
    session.commit()
    assert count_versions(session) == 1


def test_latest_published_versions_of_a_project(session: Any, world: Any) -> None:
    from stalker_core.models.version.queries import latest_published_versions, latest_versions

    fx = Task(name="fx", parent=world.shot, project=world.project)
    c1 = Version(task=world.comp, is_published=True)
    c2 = Version(task=world.comp, is_published=True)
    Version(task=world.comp)  # newer, unpublished
    Version(task=world.comp, take_name="Alt", is_published=True)
    f1 = Version(task=fx)
    s1 = Version(task=world.shot, is_published=True)
    session.commit()
    assert latest_published_versions(world.project, session=session) == {
        world.comp.id: c2,
        world.shot.id: s1,
    }
    latest = latest_versions(world.project, session=session)
    assert latest[world.comp.id].version_number == 3
    assert latest[fx.id] is f1
    any_take = latest_published_versions(world.project, take_name=None, session=session)
    assert any_take[world.comp.id].take_name == "Alt"
    assert c1 not in latest.values()


def test_versions_collection_stays_in_sync_without_dirtying_the_task(
    session: Any, world: Any
) -> None:
    assert world.comp.versions == []  # loaded now
    v = Version(task=world.comp)
    assert world.comp.versions == [v]
    assert world.comp not in session.dirty  # bulk creation does not re-save tasks
    w = Version(task=world.comp)
    w.discard()
    assert world.comp.versions == [v]
    session.commit()
    assert world.comp.versions == Version.query.filter_by(task=world.comp).all() == [v]
    assert v.task is world.comp and v.task_id == world.comp.id
