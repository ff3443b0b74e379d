"""``stalker db import-stalker`` against a studio built by the real Stalker 1.1.

The studio (tests/db/stalker_studio.py) is built once per backend and module
in a subprocess; each test imports it into a fresh database of ours (the
``session`` fixture: SQLite and PostgreSQL) and reads both sides.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select, text
from stalker_source import Source, build_stalker_studio

from stalker_core.db.stalker_import import HEAD_OF_STALKER_1_1, ImportReport, import_stalker
from stalker_core.db.stalker_import.idmap import IMPORT_IDS
from stalker_core.models.base import Base

pytestmark = pytest.mark.slow  # building the Stalker studio takes seconds

#: the passwords the builder gave its users (Stalker stores them base64-encoded)
PASSWORDS = {"admin": "admin", "eoyilmaz": "secret", "ann": "p4ss w0rd"}


@pytest.fixture(scope="module")
def _stalker_dbs() -> Iterator[dict[str, str]]:
    """backend -> URL of a Stalker studio (built on first use, once per module)."""
    built: dict[str, str] = {}
    yield built
    if "postgresql" in built:
        from stalker_core.testing.pgserver import drop_database

        drop_database(built["pg_admin_url"], built["postgresql"].rpartition("/")[2])


@pytest.fixture
def stalker_url(session: Any, _stalker_dbs: dict[str, str], request: pytest.FixtureRequest,
                tmp_path_factory: pytest.TempPathFactory) -> str:
    """The Stalker studio on the backend of ``session``."""
    backend = session.get_bind().dialect.name
    if backend not in _stalker_dbs:
        if backend == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('stalker')}/stalker.db"
        else:
            from stalker_core.testing.pgserver import create_database

            admin = _stalker_dbs["pg_admin_url"] = request.getfixturevalue("pg_admin_url")
            _, url = create_database(admin, None)
        build_stalker_studio(url)
        _stalker_dbs[backend] = url
    return _stalker_dbs[backend]


def target_url(session: Any) -> str:
    """The URL of the database behind ``session`` (with its password)."""
    return str(session.get_bind().url.render_as_string(hide_password=False))


def run_import(session: Any, source_url: str) -> ImportReport:
    """Import into the session's database, then forget what the session had loaded."""
    session.commit()
    report = import_stalker(source_url, target_url(session))
    session.expire_all()
    return report


def id_map(session: Any) -> dict[int, int]:
    """Stalker id -> our id of every imported entity."""
    t = IMPORT_IDS
    rows = session.execute(select(t.c.source_id, t.c.target_id).where(t.c.kind == "entity"))
    return dict(rows.all())


class Pairs:
    """Our object of each Stalker row, found through the importer's id map."""

    def __init__(self, session: Any, source: Source) -> None:
        self.session = session
        self.source = source
        self.ids = id_map(session)

    def __repr__(self) -> str:
        return f"<Pairs {len(self.ids)}>"

    def ours(self, cls: Any, source_id: int | None) -> Any:
        """Our object made of Stalker row ``source_id`` (None for None)."""
        if source_id is None:
            return None
        obj = self.session.get(cls, self.ids[source_id])
        assert obj is not None, f"{cls.__name__} of Stalker id {source_id} is missing"
        return obj

    def ids_of(self, objs: Any) -> set[int]:
        return {o.id for o in objs}

    def mapped(self, source_ids: Any) -> set[int]:
        return {self.ids[i] for i in source_ids}


def _common(pairs: Pairs, cls: Any, row: dict[str, Any], *, dates: bool = True) -> Any:
    """Our object of ``row`` with the SimpleEntity fields compared; returns it."""
    from stalker_core.models import User

    obj = pairs.ours(cls, row["id"])
    assert obj.name == row["name"]
    if cls.__name__ != "Note":
        assert obj.description == (row["description"] or "")
    if dates:
        assert obj.date_created == row["date_created"]
        assert obj.date_updated == row["date_updated"]
        created_by = pairs.ours(User, row["created_by_id"])
        assert obj.created_by is created_by
    return obj


def _refs(p: Pairs, obj: Any, row: dict[str, Any], **refs: tuple[Any, str]) -> None:
    """``obj.<attr>`` is our object of ``row[<column>]`` for each ``attr=(class, column)``."""
    for attr, (cls, column) in refs.items():
        assert getattr(obj, attr) is p.ours(cls, row[column]), attr


# --------------------------------------------------------------------------- tests


def test_import_brings_every_kind_field_by_field(session: Any, stalker_url: str) -> None:
    from stalker_core import models as m

    report = run_import(session, stalker_url)
    assert report.revision == HEAD_OF_STALKER_1_1 and report.era == "Stalker 1.1"
    src = Source(stalker_url)
    try:
        p = Pairs(session, src)
        _users_groups_departments(p, src, m)
        _statuses_types(p, src, m)
        _studio_project(p, src, m)
        _tasks(p, src, m)
        _time_logs_reviews_versions(p, src, m)
        _tickets_notes_pages(p, src, m)
        _budgets_dailies_vacations(p, src, m)
        _messages_references(p, src, m)
    finally:
        src.dispose()
    # counts per kind: one of ours for each Stalker row
    src = Source(stalker_url)
    for kind in ("Task", "Shot", "Asset", "Version", "TimeLog", "File", "Vacation", "Review",
                 "Message"):
        n = len(src.sql('SELECT id FROM "SimpleEntities" WHERE entity_type = :k', k=kind))
        assert vars(report.counts[kind]) == {"created": n, "existing": 0, "skipped": 0}, kind
    for owner in ("Project", "Task", "File"):
        n = len(src.sql(f'SELECT * FROM "{owner}_References"'))
        assert vars(report.counts[f"{owner.lower()} references"]) == {
            "created": n, "existing": 0, "skipped": 0}, owner
    src.dispose()
    assert report.counts["task dependencies"].created == 4
    # what ours has no field for is reported, by Stalker name
    assert not any(line.startswith(("Shot.source_in", "SimpleEntity.generic_text",
                                    "SimpleEntity.html_style"))
                   for line in report.not_mapped)
    assert any(line.startswith("Version.revision_number") for line in report.not_mapped)
    assert any(line.startswith("Variant: 1 Stalker rows") for line in report.not_mapped)
    assert any(line.startswith("Task_Dependencies.gap_constraint: 4")
               for line in report.not_mapped)
    # messages, references, a user's own permissions and generic data are copied
    assert not any(line.startswith(("Message", "Project_References", "Task_References",
                                    "File_References", "User_Permissions",
                                    "SimpleEntity_GenericData")) for line in report.not_mapped)


def _users_groups_departments(p: Pairs, src: Source, m: Any) -> None:
    users = src.entities("User", "Users")
    assert len(users) == 3
    for row in users:
        user = _common(p, m.User, row, dates=row["login"] != "admin")
        assert (user.login, user.email) == (row["login"], row["email"])
        assert (user.efficiency, user.rate) == (row["efficiency"], row["rate"])
        assert user.password_hash.startswith("scrypt$")
        assert user.check_password(PASSWORDS[row["login"]])
        groups = {g for u, g in src.pairs("Group_Users", "uid", "gid") if u == row["id"]}
        assert p.mapped(groups) <= p.ids_of(user.groups)
        deps = {d for u, d in src.pairs("Department_Users", "uid", "did") if u == row["id"]}
        assert p.mapped(deps) <= p.ids_of(user.departments)
        own = {(r["access"], r["action"], r["class_name"]) for r in src.sql(
            'SELECT p.* FROM "Permissions" p JOIN "User_Permissions" up '
            "ON up.permission_id = p.id WHERE up.user_id = :u", u=row["id"])}
        assert own == {(x.access, x.action, x.class_name) for x in user.permissions}
        if row["login"] == "ann":
            assert own  # Stalker's Allow and Deny rules of Asset: Deny wins, as there
            assert not user.can("Create", "Asset")
    for row in src.entities("Group", "Groups"):
        group = _common(p, m.Group, row, dates=row["name"] != "admins")
        perms = {(r["access"], r["action"], r["class_name"]) for r in src.sql(
            'SELECT p.* FROM "Permissions" p JOIN "Group_Permissions" gp '
            "ON gp.permission_id = p.id WHERE gp.group_id = :g", g=row["id"])}
        assert perms <= {(x.access, x.action, x.class_name) for x in group.permissions}
        if row["name"] == "Artists":
            assert perms and len(group.users) == 2
    for row in src.entities("Department", "Departments"):
        _common(p, m.Department, row, dates=row["name"] != "admins")


def _statuses_types(p: Pairs, src: Source, m: Any) -> None:
    for row in src.entities("Status", "Statuses"):
        assert p.ours(m.Status, row["id"]).code == row["code"]
    for row in src.entities("StatusList", "StatusLists"):
        sl = p.ours(m.StatusList, row["id"])
        assert sl.target_entity_type == row["target_entity_type"]
        members = {s for li, s in src.pairs("StatusList_Statuses", "status_list_id",
                                             "status_id") if li == row["id"]}
        assert p.mapped(members) <= p.ids_of(sl.statuses)
    for row in src.entities("Type", "Types"):
        t = p.ours(m.Type, row["id"])
        assert (t.name, t.target_entity_type) == (row["name"], row["target_entity_type"])
        if row["name"] in ("Character", "Commercial Project"):
            assert t.code == row["code"]
            _common(p, m.Type, row)


def _studio_project(p: Pairs, src: Source, m: Any) -> None:
    (wh_row,) = src.entities("WorkingHours", "WorkingHours")
    wh = _common(p, m.WorkingHours, wh_row)
    hours = wh_row["working_hours"]  # JSON: text on SQLite
    assert wh.working_hours == (json.loads(hours) if isinstance(hours, str) else hours)
    assert wh.daily_working_hours == wh_row["daily_working_hours"]
    (st_row,) = src.entities("Studio", "Studios")
    studio = _common(p, m.Studio, st_row)
    assert studio.working_hours_id == p.ids[wh_row["id"]]
    assert studio.timing_resolution_seconds == 3600
    (repo_row,) = src.entities("Repository", "Repositories")
    repo = _common(p, m.Repository, repo_row)
    assert repo.code == repo_row["code"]
    for key in ("linux_path", "windows_path", "macos_path"):
        assert getattr(repo, key).rstrip("/") == repo_row[key].rstrip("/")
    templates = src.entities("FilenameTemplate", "FilenameTemplates")
    for row in templates:
        ft = _common(p, m.FilenameTemplate, row)
        assert (ft.target_entity_type, ft.path, ft.filename) == (
            row["target_entity_type"], row["path"], row["filename"])
    (str_row,) = src.entities("Structure", "Structures")
    structure = _common(p, m.Structure, str_row)
    assert structure.custom_template == str_row["custom_template"]
    assert p.ids_of(structure.templates) == p.mapped(t["id"] for t in templates)
    (img_row,) = src.entities("ImageFormat", "ImageFormats")
    img = _common(p, m.ImageFormat, img_row)
    assert (img.width, img.height) == (img_row["width"], img_row["height"])
    (row,) = src.entities("Project", "Projects")
    project = _common(p, m.Project, row)
    assert (project.code, project.fps, project.is_stereoscopic) == (
        row["code"], row["fps"], row["is_stereoscopic"])
    assert (project.start, project.end) == (row["start"], row["end"])
    assert project.structure is structure and project.image_format is img
    assert project.type is p.ours(m.Type, row["type_id"])
    assert project.status is p.ours(m.Status, row["status_id"])
    assert [r.id for r in project.repositories] == [repo.id]
    members = {u for u, pr in src.pairs("Project_Users", "user_id", "project_id")
               if pr == row["id"]}
    assert p.ids_of(project.users) == p.mapped(members)


def _tasks(p: Pairs, src: Source, m: Any) -> None:
    kinds = {"Task": m.Task, "Asset": m.Asset, "Shot": m.Shot, "Sequence": m.Sequence,
             "Scene": m.Scene}
    deps = src.sql('SELECT * FROM "Task_Dependencies"')
    links = {name: src.pairs(f"Task_{name}", "task_id", col) for name, col in [
        ("Resources", "resource_id"), ("Alternative_Resources", "resource_id"),
        ("Computed_Resources", "resource_id"), ("Responsible", "responsible_id"),
        ("Watchers", "watcher_id")]}
    seen = 0
    for entity_type, cls in kinds.items():
        extra = [] if entity_type == "Task" else [f"{entity_type}s"]
        for row in src.entities(entity_type, "Tasks", *extra):
            seen += 1
            task = _common(p, cls, row)
            assert isinstance(task, cls) and type(task).__name__ == entity_type
            assert task.project is p.ours(m.Project, row["project_id"])
            assert task.parent is p.ours(m.Task, row["parent_id"])
            for key in ("priority", "schedule_timing", "schedule_unit", "schedule_model",
                        "schedule_constraint", "allocation_strategy", "persistent_allocation",
                        "is_milestone", "start", "end", "computed_start", "computed_end"):
                assert getattr(task, key) == row[key], (entity_type, row["name"], key)
            if row["bid_timing"] is not None:
                assert (task.bid_timing, task.bid_unit) == (row["bid_timing"], row["bid_unit"])
            assert task.status is p.ours(m.Status, row["status_id"])
            for name, attr in [("Resources", "resources"),
                               ("Alternative_Resources", "alternative_resources"),
                               ("Computed_Resources", "computed_resources"),
                               ("Responsible", "responsible"), ("Watchers", "watchers")]:
                want = {u for t, u in links[name] if t == row["id"]}
                assert p.ids_of(getattr(task, attr)) == p.mapped(want), (row["name"], attr)
            mine = sorted((d.depends_on_id, d.dependency_target, d.gap_timing, d.gap_unit,
                           d.gap_model) for d in task.task_depends_on)
            theirs = sorted((p.ids[d["depends_on_id"]], d["dependency_target"], d["gap_timing"],
                             d["gap_unit"], d["gap_model"])
                            for d in deps if d["task_id"] == row["id"])
            assert mine == theirs
            if entity_type != "Task":
                assert task.code == row["code"]
            if entity_type == "Shot":
                assert (task.cut_in, task.cut_out) == (row["cut_in"], row["cut_out"])
                assert (task.source_in, task.source_out) == (row["source_in"],
                                                              row["source_out"])
                assert (task.generic_text, task.html_style, task.html_class) == (
                    row["generic_text"], row["html_style"], row["html_class"])
                assert p.ids_of(task.sequences) == p.mapped([row["sequence_id"]])
    assert seen == 13


def _time_logs_reviews_versions(p: Pairs, src: Source, m: Any) -> None:
    for row in src.entities("TimeLog", "TimeLogs"):
        tl = _common(p, m.TimeLog, row)
        _refs(p, tl, row, task=(m.Task, "task_id"), resource=(m.User, "resource_id"))
        assert (tl.start, tl.end) == (row["start"], row["end"])
    for row in src.entities("Review", "Reviews"):
        review = _common(p, m.Review, row)
        _refs(p, review, row, task=(m.Task, "task_id"), reviewer=(m.User, "reviewer_id"))
        assert (review.schedule_timing, review.schedule_unit) == (
            row["schedule_timing"], row["schedule_unit"])
        code = src.sql('SELECT code FROM "Statuses" WHERE id = :i', i=row["status_id"])[0]["code"]
        assert review.status.code == code
        assert review.decision == {"APP": "approved", "RREV": "revision"}.get(code, "pending")
    files = {r["id"]: r for r in src.entities("File", "Files")}
    for row in files.values():
        f = _common(p, m.File, row)
        assert (f.full_path, f.original_filename) == (row["full_path"],
                                                      row["original_filename"] or "")
    version_files = src.pairs("Version_Files", "version_id", "file_id")
    variants = {r["id"]: r for r in src.entities("Variant", "Tasks")}
    for row in src.entities("Version", "Versions"):
        v = _common(p, m.Version, row)
        variant = variants.get(row["task_id"])
        if variant is None:  # a version of a task: the default take
            assert (v.task, v.take_name) == (p.ours(m.Task, row["task_id"]), "Main")
        else:  # a version of a Variant: of the variant's parent, the variant's name its take
            assert (v.task, v.take_name) == (p.ours(m.Task, variant["parent_id"]),
                                             variant["name"])
        assert (v.version_number, v.is_published) == (row["version_number"],
                                                      row["is_published"])
        assert v.parent is p.ours(m.Version, row["parent_id"])
        own = {f for ver, f in version_files if ver == row["id"]}
        assert p.ids_of(v.outputs) == p.mapped(own)
        paths = {files[f]["full_path"] for f in own}
        assert f"{v.path}/{v.filename}" in paths


def _tickets_notes_pages(p: Pairs, src: Source, m: Any) -> None:
    (row,) = src.entities("Ticket", "Tickets")
    ticket = _common(p, m.Ticket, row)
    assert (ticket.number, ticket.summary, ticket.priority) == (
        row["number"], row["summary"], row["priority"])
    assert ticket.resolution == (row["resolution"] or "").lower()
    _refs(p, ticket, row, owner=(m.User, "owner_id"), project=(m.Project, "project_id"),
          status=(m.Status, "status_id"))
    linked = {e for t, e in src.pairs("Ticket_SimpleEntities", "ticket_id", "simple_entity_id")}
    assert p.ids_of(ticket.links) == p.mapped(linked)
    for log_row in src.entities("TicketLog", "TicketLogs"):
        log = _common(p, m.TicketLog, log_row)
        assert log.ticket is ticket and log.action == log_row["action"]
        _refs(p, log, log_row, from_status=(m.Status, "from_status_id"),
              to_status=(m.Status, "to_status_id"))
    (row,) = src.entities("Note", "Notes")
    note = _common(p, m.Note, row)
    assert note.content == row["description"]
    for entity, n in src.pairs("Entity_Notes", "entity_id", "note_id"):
        assert p.ours(m.Note, n) in p.ours(m.Task, entity).notes
    (row,) = src.entities("Page", "Pages")
    page = _common(p, m.Page, row)
    assert (page.title, page.content) == (row["title"], row["content"])
    attached = {o for e, o in src.pairs("SimpleEntity_GenericData", "simple_entity_id",
                                        "other_simple_entity_id") if e == row["id"]}
    assert attached and p.mapped(attached) == p.ids_of(page.generic_data)
    assert page.project is p.ours(m.Project, row["project_id"])


def _budgets_dailies_vacations(p: Pairs, src: Source, m: Any) -> None:
    (row,) = src.entities("Good", "Goods")
    good = _common(p, m.Good, row)
    assert (good.cost, good.msrp, good.unit) == (row["cost"], row["msrp"], row["unit"])
    (row,) = src.entities("PriceList", "PriceLists")
    assert p.ours(m.PriceList, row["id"]).goods == [good]
    (row,) = src.entities("Budget", "Budgets")
    budget = _common(p, m.Budget, row)
    _refs(p, budget, row, project=(m.Project, "project_id"), status=(m.Status, "status_id"))
    (row,) = src.entities("BudgetEntry", "BudgetEntries")
    entry = _common(p, m.BudgetEntry, row)
    assert entry.budget is budget and entry.good is good
    for key in ("cost", "msrp", "price", "realized_total", "amount", "unit"):
        assert getattr(entry, key) == row[key], key
    (row,) = src.entities("Daily", "Dailies")
    daily = _common(p, m.Daily, row)
    _refs(p, daily, row, project=(m.Project, "project_id"), status=(m.Status, "status_id"))
    files = {f for d, f in src.pairs("Daily_Files", "daily_id", "file_id")}
    assert p.ids_of(daily.files) == p.mapped(files)
    for row in src.entities("Vacation", "Vacations"):
        vac = _common(p, m.Vacation, row)
        assert vac.user is p.ours(m.User, row["user_id"])
        assert (vac.start, vac.end) == (row["start"], row["end"])


def _messages_references(p: Pairs, src: Source, m: Any) -> None:
    rows = src.entities("Message", "Messages")
    assert len(rows) == 2
    for row in rows:
        message = _common(p, m.Message, row)
        _refs(p, message, row, status=(m.Status, "status_id"),
              status_list=(m.StatusList, "status_list_id"))
        assert message.status_list.target_entity_type == "Message"
        assert message.status in message.status_list.statuses
    for table, cls, column in [("Project_References", m.Project, "project_id"),
                               ("Task_References", m.Task, "task_id"),
                               ("File_References", m.File, "file_id")]:
        pairs = src.pairs(table, column, "reference_id")
        assert pairs, table
        for owner in {o for o, _ in pairs}:
            want = {f for o, f in pairs if o == owner}
            assert p.ids_of(p.ours(cls, owner).references) == p.mapped(want), (table, owner)
    # an Asset's references are a task's
    (hero,) = src.entities("Asset", "Assets")
    assert [f.full_path for f in p.ours(m.Asset, hero["id"]).references] == [
        "/mnt/M/commercials/FC/References/mood.jpg"]


def _snapshot(session: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of ours (and the importer's id table), sorted."""
    out = {}
    for table in [*Base.metadata.sorted_tables, IMPORT_IDS]:
        rows = session.execute(select(table)).all()
        out[table.name] = sorted(tuple(map(repr, r)) for r in rows)
    return out


def test_a_second_run_changes_nothing(session: Any, stalker_url: str) -> None:
    first = run_import(session, stalker_url)
    assert first.created > 0
    before = _snapshot(session)
    session.rollback()
    second = run_import(session, stalker_url)
    assert second.created == 0
    assert all(c.skipped == 0 for c in second.counts.values())
    assert sum(c.existing for c in second.counts.values()) == sum(
        c.created + c.existing for c in first.counts.values())
    assert _snapshot(session) == before


def test_the_imported_studio_schedules(session: Any, stalker_url: str) -> None:
    from stalker_core.models import Project, Studio, Task, User
    from stalker_core.scheduling import schedule_studio
    from stalker_core.scheduling.validate import validate_plan

    run_import(session, stalker_url)
    studio = session.scalars(select(Studio)).one()
    project = session.scalars(select(Project).where(Project.code == "FC")).one()
    now = dt.datetime(2014, 4, 1, tzinfo=dt.UTC)
    studio.start, studio.end = now, now + dt.timedelta(days=120)
    admin = session.scalars(select(User).where(User.login == "admin")).one()
    result = schedule_studio(studio, scheduled_by=admin, scheduler=None, now=now)
    session.commit()
    assert validate_plan(result.problem, result.plan).ok
    leaves = [t for t in session.scalars(select(Task).where(Task.project_id == project.id))
              if not t.children]
    assert leaves
    for task in leaves:
        assert task.computed_start is not None and task.computed_end is not None, task.name
        assert studio.start <= task.computed_start < task.computed_end <= studio.end
        for dep in task.task_depends_on:
            assert dep.depends_on.computed_end <= task.computed_start, (task.name, dep)


def test_command_prints_counts_and_json(session: Any, stalker_url: str) -> None:
    from click.testing import CliRunner

    from stalker_core.cli.main import cli

    session.commit()
    url = target_url(session)
    runner = CliRunner()
    done = runner.invoke(cli, ["--db", url, "db", "import-stalker", stalker_url])
    assert done.exit_code == 0, done.output
    assert "Shot" in done.output and "not mapped" in done.output
    again = runner.invoke(cli, ["--db", url, "db", "import-stalker", stalker_url, "--json"])
    assert again.exit_code == 0, again.output
    data = json.loads(again.output)
    assert data["revision"] == HEAD_OF_STALKER_1_1 and data["created"] == 0
    assert data["counts"]["Shot"] == {"created": 0, "existing": 3, "skipped": 0}


def test_passwords_are_scrypt_hashes_never_the_stalker_value(session: Any,
                                                             stalker_url: str) -> None:
    from stalker_core.models import User

    run_import(session, stalker_url)
    src = Source(stalker_url)
    stored = {r["login"]: r["password"] for r in src.sql('SELECT login, password FROM "Users"')}
    src.dispose()
    for login, password in PASSWORDS.items():
        user = session.scalars(select(User).where(User.login == login)).one()
        assert stored[login] not in user.password_hash
        assert user.check_password(password) and not user.check_password(stored[login])
    assert not session.execute(text("SELECT 1 FROM users WHERE password_hash NOT LIKE 'scrypt$%'")
                               ).first()


def test_the_planner_hears_of_the_copied_rows(
    session: Any, stalker_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every table the import wrote is handed to refresh_after_bulk_load, with its rows."""
    import stalker_core.db.stalker_import as stalker_import

    seen: dict[str, int] = {}
    real = stalker_import.refresh_after_bulk_load

    def spy(connection: Any, inserted: Any) -> list[str]:
        seen.update({t.name: n for t, n in inserted.items()})
        return real(connection, inserted)

    monkeypatch.setattr(stalker_import, "refresh_after_bulk_load", spy)
    entities = Base.metadata.tables["simple_entities"]
    count = select(func.count()).select_from(entities)
    before = session.execute(count).scalar_one()
    report = run_import(session, stalker_url)
    assert seen["simple_entities"] == session.execute(count).scalar_one() - before
    assert seen["tasks"] == sum(
        report.counts[k].created for k in ("Task", "Asset", "Shot", "Sequence", "Scene")
        if k in report.counts)
    assert sum(seen.values()) >= report.created
