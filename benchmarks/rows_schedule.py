"""Benchmark rows (contract C5): ``to_tjp`` of a 2,000-task studio and
``Studio.schedule()`` through the TaskJuggler backend, stalker_core vs Stalker 1.1.2.1.

Both libraries get the same seeded synthetic studio
(:func:`synthetic.synthetic_problem`, 2,000 leaf
tasks under 400 shot containers, ~67 artists with vacations; dependency
gaps, alternatives, length tasks and time logs are left out because the
Stalker build of the data would need its own workflow for them). The data
set-up is not measured; the rows time ``to_tjp`` of the studio (a fresh
session, nothing cached) and the whole ``Studio.schedule()`` with tj3 (write
tjp, run tj3, read back, store the computed dates). Stalker's scheduler is
known to fail on SQLite; the harness reports that as a failed peer run.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import Row, Timer, ours_setup  # noqa: E402

N_TASKS = 2000
#: the studio's (TaskJuggler project's) time frame, the same for both libraries
SPAN = dt.timedelta(days=700)


def _problem() -> Any:
    from synthetic import synthetic_problem

    from stalker_core.scheduling.data import Dependency

    now = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
    pr = synthetic_problem(N_TASKS, seed=7, now=now, alternatives=0.0)
    for t in pr.tasks.values():
        t.time_logs = ()
        t.model = "effort"
        t.depends = tuple(Dependency(d.depends_on, d.target) for d in t.depends)
    pr.holidays = []
    return pr


# -- stalker_core ---------------------------------------------------------------------------
def _ours_studio(url: str) -> tuple[Any, int]:
    from synthetic import populate

    from stalker_core.models import Studio

    session = ours_setup(url)
    pr = _problem()
    studio_id = populate(session, pr)
    studio = session.get(Studio, studio_id)
    studio.start = pr.now
    studio.end = pr.now + SPAN
    session.commit()
    session.remove()
    return session, studio_id


def ours_to_tjp(url: str) -> float:
    from stalker_core.models import Studio
    from stalker_core.scheduling import to_tjp

    session, sid = _ours_studio(url)
    studio = session.get(Studio, sid)
    with Timer() as t:
        text = to_tjp(studio)
    assert text.count("task Task_") >= N_TASKS
    return t.seconds


def ours_schedule_tj3(url: str) -> float:
    from stalker_core.models import Studio
    from stalker_core.scheduling import TaskJugglerScheduler, schedule_studio

    session, sid = _ours_studio(url)
    studio = session.get(Studio, sid)
    with Timer() as t:
        schedule_studio(studio, scheduler=TaskJugglerScheduler())
        session.commit()
    return t.seconds


# -- Stalker 1.1.2.1 ------------------------------------------------------------------------
def peer_setup(url: str) -> Any:
    """Stalker's ``db.setup()`` + ``db.init()`` (1.1.2.1 keeps them in ``stalker.db.setup``)."""
    import warnings

    warnings.simplefilter("ignore")
    from stalker.db.session import DBSession
    from stalker.db.setup import init, setup

    setup({"sqlalchemy.url": url})
    init()
    return DBSession


def _peer_studio(url: str) -> tuple[Any, Any, Any]:
    import stalker
    from stalker import Project, Status, Studio, Task, User, Vacation, defaults

    session = peer_setup(url)
    tj3 = shutil.which("tj3") or "/usr/bin/tj3"
    defaults.config_values["tj_command"] = tj3
    pr = _problem()
    wip = Status.query.filter_by(code="WIP").first()
    studio = Studio(name=pr.studio_name)
    studio.start = pr.now
    studio.end = pr.now + SPAN
    session.add(studio)
    users: dict[int, Any] = {}
    for r in pr.resources.values():
        u = User(name=r.name, login=r.login, email=f"{r.login}@example.com", password="x",
                 efficiency=r.efficiency)
        users[r.id] = u
        for s, e in r.vacations:
            session.add(Vacation(user=u, start=s, end=e))
    session.add_all(users.values())
    projects: dict[int, Any] = {}
    for p in pr.projects.values():
        proj = Project(name=p.name, code=p.code)
        proj.status = wip
        projects[p.id] = proj
    session.add_all(projects.values())
    session.flush()
    tasks: dict[int, Any] = {}
    for t in sorted(pr.tasks.values(), key=lambda t: (t.parent_id is not None, t.id)):
        kw: dict[str, Any] = {"name": t.name, "project": projects[t.project_id],
                              "priority": t.priority}
        if t.parent_id is not None:
            kw.update(parent=tasks[t.parent_id], schedule_timing=t.timing,
                      schedule_unit=t.unit, resources=[users[r] for r in t.resources])
        tasks[t.id] = Task(**kw)
    session.add_all(tasks.values())
    session.flush()
    for t in pr.tasks.values():
        if t.depends:
            tasks[t.id].depends_on = [tasks[d.depends_on] for d in t.depends]
    session.commit()
    _ = stalker
    return session, studio.id, users


def _fix_now(studio: Any) -> None:
    """Stalker 1.1.2.1 sets ``Studio._now`` only in ``__init__``; a studio read back from
    the database lacks it and ``to_tjp`` raises AttributeError. Give it the default."""
    if "_now" not in studio.__dict__:
        studio._now = None


def peer_to_tjp(url: str) -> float:
    from stalker import Studio, User

    session, sid, _ = _peer_studio(url)
    session.remove()
    studio = Studio.query.get(sid)
    _fix_now(studio)
    with Timer() as t:
        # the whole studio as tjp, from the public to_tjp of its parts (the studio header,
        # every user with vacations, every project with its task tree); Stalker's own
        # scheduler file builder uses a PostgreSQL-only query and fails on SQLite
        parts = [studio.to_tjp]
        parts.extend(u.to_tjp for u in User.query.all())
        parts.extend(p.to_tjp for p in studio.active_projects)
        text = "\n".join(parts)
    assert text.count("task Task_") >= N_TASKS
    return t.seconds


def peer_schedule_tj3(url: str) -> float:
    from stalker import Studio, TaskJugglerScheduler, User

    session, sid, users = _peer_studio(url)
    session.remove()
    studio = Studio.query.get(sid)
    _fix_now(studio)
    me = User.query.first()
    with Timer() as t:
        studio.scheduler = TaskJugglerScheduler(compute_resources=True)
        studio.schedule(scheduled_by=me)
        session.commit()
    return t.seconds


ROWS: list[Row] = [
    Row(name="to_tjp of a 2,000-task studio", ours=ours_to_tjp, peer=peer_to_tjp, repeat=3),
    Row(name="Studio.schedule() tj3, 2,000 tasks", ours=ours_schedule_tj3,
        peer=peer_schedule_tj3, repeat=1),
]
