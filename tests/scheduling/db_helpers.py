"""Build small studios in the database for the scheduling tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

UTC = dt.UTC


def build_studio(session: Any, *, projects: int = 1) -> dict[str, Any]:
    """A studio, two users and, per project, a shot with the tutorial's five tasks."""
    from stalker_core.models import Project, Studio, Task, TaskDependency, User

    studio = Studio(name="My Great Studio")
    me = User(name="Me", login="me", email="me@example.com", password="secret")
    you = User(name="You", login="you", email="you@example.com", password="secret")
    session.add_all([studio, me, you])
    out: dict[str, Any] = {"studio": studio, "me": me, "you": you, "projects": []}
    for n in range(projects):
        proj = Project(name=f"Fancy {n}", code=f"FC{n}")
        session.add(proj)
        shot = Task(name="SH001", project=proj)
        tasks = {}
        for name, timing, unit in [("previs", 10, "d"), ("matchmove", 2, "d"), ("anim", 5, "d"),
                                   ("lighting", 3, "d"), ("comp", 6, "h")]:
            t = Task(name=name, project=proj, parent=shot, schedule_timing=timing,
                     schedule_unit=unit)
            t.resources = [me]
            tasks[name] = t
        session.add_all([shot, *tasks.values()])
        session.flush()
        for a, b in [("anim", "previs"), ("anim", "matchmove"), ("lighting", "anim"),
                     ("comp", "lighting")]:
            session.add(TaskDependency(task=tasks[a], depends_on=tasks[b]))
        out["projects"].append({"project": proj, "shot": shot, **tasks})
    session.commit()
    return out
