"""The Scene Inventory's demo scene over the demo studio (``stalker demo``), without Qt.

The demo studio publishes the Hero model once per ``stalker demo`` run; an
"outdated" container needs two published versions, so :func:`demo_scene`
saves and publishes what a second run would (Hero/model) when the studio
has fewer. It returns a :class:`~stalker_core.testing.FakeHost` scene (the
standalone host has no references) with one container per state, which
:func:`stalker_core.ui.inventory.demo_state` shows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from stalker_core.hosts import Container
from stalker_core.testing.fake_host import FakeHost

__all__ = ["demo_scene"]

MODEL_TASK = "Hero/model"
LAYOUT_TASK = "SH10/layout"


def _versions(session: Any, task: Any) -> list[Any]:
    from stalker_core.models import Version

    return list(session.scalars(
        select(Version).where(Version.task_id == task.id, Version.take_name == "Main")
        .order_by(Version.version_number)
    ))


def _ensure_versions(session: Any, pm: Any, tasks: dict[str, Any]) -> None:
    """Two published Hero/model versions and one SH10/layout version, as two demo runs make."""
    from stalker_core.workflows import publish, save_as_version

    maker = FakeHost(capabilities=())  # plain work files; publishing falls back to copying
    user = tasks[MODEL_TASK].resources[0] if tasks[MODEL_TASK].resources else None
    while sum(1 for v in _versions(session, tasks[MODEL_TASK]) if v.is_published) < 2:
        maker.edit("demo model")
        v = save_as_version(maker, tasks[MODEL_TASK], description="demo model",
                            user=user, session=session, pm=pm)
        publish(maker, v, user=user, session=session, pm=pm)
    if not _versions(session, tasks[LAYOUT_TASK]):
        maker.edit("demo layout")
        save_as_version(maker, tasks[LAYOUT_TASK], description="demo layout",
                        user=user, session=session, pm=pm)


def demo_scene(session: Any, pm: Any, host: FakeHost | None = None) -> FakeHost:
    """A FakeHost scene over the demo studio with a container in every state.

    ``hero_main`` (the newest published model: up to date), ``hero_crowd``
    (an older published model: outdated), ``hero_bg`` (outdated and locked),
    ``set_layout`` (the layout, never published: up to date),
    ``sky_plate`` (no version id: untracked) and ``old_prop`` (a deleted
    version: missing).

    :raises LookupError: the demo studio is not in the database (run ``stalker demo``).
    """
    from stalker_core.cli.demo_cmd import PROJECT_CODE
    from stalker_core.models import Project, Version

    project = session.scalars(select(Project).where(Project.code == PROJECT_CODE)).first()
    if project is None:
        raise LookupError(f"no project {PROJECT_CODE!r}: run 'stalker demo' first")
    tasks = {f"{t.parent.name}/{t.name}" if t.parent else t.name: t for t in project.tasks}
    _ensure_versions(session, pm, tasks)
    model = [v for v in _versions(session, tasks[MODEL_TASK]) if v.is_published]
    layout = _versions(session, tasks[LAYOUT_TASK])[-1]
    newest, older = model[-1], model[-2]
    ghost = int(session.scalar(select(func.max(Version.id))) or 0) + 1000
    plate = Path(older.absolute_path).parent / "plates" / "sky_plate.exr"
    host = host if host is not None else FakeHost()
    host.references = [
        Container("hero_main", Path(newest.absolute_full_path), newest.id),
        Container("hero_crowd", Path(older.absolute_full_path), older.id),
        Container("hero_bg", Path(older.absolute_full_path), older.id, locked=True),
        Container("set_layout", Path(layout.absolute_full_path), layout.id),
        Container("sky_plate", plate, None),
        Container("old_prop", Path(older.absolute_full_path), ghost),
    ]
    return host
