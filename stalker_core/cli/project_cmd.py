"""``stalker project``: project commands (``create-structure``).

``stalker project create-structure FC`` renders the project's
``structure.custom_template`` and creates its folders under the project's
repository (idempotent). The command opens its own short-lived session on
the database given by ``--url`` (default: the configured database URL).
"""

from __future__ import annotations

import click

from stalker_core.exceptions import DatabaseError, ValidationError


@click.group(name="project")
def command() -> None:
    """Project commands."""


@command.command(name="create-structure")
@click.argument("project")
@click.option("--url", default=None, help="Database URL (default: the configured one).")
def create_structure(project: str, url: str | None) -> None:
    """Create the folders of PROJECT's structure (PROJECT is a code or an id)."""
    from sqlalchemy import or_, select
    from sqlalchemy.exc import SQLAlchemyError

    from stalker_core.db.engine import make_engine
    from stalker_core.models import Project
    from stalker_core.orm.session import StalkerSession
    from stalker_core.templates.folders import create_project_structure

    if url is None:
        from stalker_core.config import get_config

        url = get_config().database_url
    engine = make_engine(url)
    try:
        with StalkerSession(engine) as session:
            clauses = [Project.code == project]
            if project.isdigit():
                clauses.append(Project.id == int(project))
            try:
                found = session.scalars(select(Project).where(or_(*clauses))).first()
            except SQLAlchemyError as exc:
                cause = getattr(exc, "orig", None) or exc
                raise DatabaseError(
                    f"cannot read projects from {engine.url.render_as_string()!r}: "
                    f"{type(cause).__name__}: {cause}; is it a stalker_core database "
                    "(see 'stalker db upgrade')?"
                ) from exc
            if found is None:
                raise ValidationError(
                    f"no project with code or id {project!r} in the database; "
                    "check the code (case matters) or pass --url"
                )
            paths = create_project_structure(found)
    finally:
        engine.dispose()
    if not paths:
        click.echo(f"project {found.code!r}: its structure lists no folders")
        return
    for path in paths:
        click.echo(str(path))
    click.echo(f"project {found.code!r}: {len(paths)} folder(s) ready")
