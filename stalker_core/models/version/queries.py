"""Bulk version queries: one SQL statement for a whole project, never one per task."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, select

from stalker_core.models.task.model import Task
from stalker_core.models.version.model import Version
from stalker_core.orm.session import DBSession

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, scoped_session

    from stalker_core.models.project import Project


def latest_versions(
    project: Project,
    *,
    take_name: str | None = "Main",
    published_only: bool = False,
    session: Session | scoped_session | None = None,
) -> dict[int, Version]:
    """The latest version of every task of ``project`` that has one, in one query.

    :param take_name: only this take (the highest number wins); ``None``: every take,
        the most recently created version wins.
    :param published_only: consider published versions only.
    :returns: ``{task_id: version}``.
    """
    session = session if session is not None else DBSession
    versions = Version.__table__
    tasks = Task.__table__
    conditions = [tasks.c.project_id == project.id]
    if take_name is not None:
        conditions.append(versions.c.take_name == take_name)
    if published_only:
        conditions.append(versions.c.is_published.is_(True))
    order = versions.c.version_number.desc() if take_name is not None else versions.c.id.desc()
    ranked = (
        select(
            versions.c.id.label("vid"),
            func.row_number().over(partition_by=versions.c.task_id, order_by=order).label("rank"),
        )
        .select_from(versions.join(tasks, tasks.c.id == versions.c.task_id))
        .where(*conditions)
        .subquery()
    )
    rows = session.scalars(
        select(Version).join(ranked, ranked.c.vid == Version.id).where(ranked.c.rank == 1)
    ).all()
    return {v.task_id: v for v in rows}


def latest_published_versions(
    project: Project,
    *,
    take_name: str | None = "Main",
    session: Session | scoped_session | None = None,
) -> dict[int, Version]:
    """The latest *published* version of every task of ``project``: ``{task_id: version}``."""
    return latest_versions(project, take_name=take_name, published_only=True, session=session)
