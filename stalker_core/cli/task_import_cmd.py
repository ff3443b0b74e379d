"""``stalker task import FILE --project P``: many tasks from a CSV table, with progress.

The table's columns and rules are those of :mod:`stalker_core.workflows.task_import`.
Every row is checked before anything is written; ``--dry-run`` checks and
reports without writing.
"""

from __future__ import annotations

from pathlib import Path

import click

from stalker_core.cli.acting import authorize
from stalker_core.cli.main import connect, database_option
from stalker_core.cli.output import emit_rows, output_format, output_options, progress


@click.command(name="import")
@click.argument("table", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--project", "project_ref", required=True, help="Project (code or id).")
@click.option("--dry-run", is_flag=True, help="Check every row and report; write nothing.")
@database_option
@output_options(csv_too=True)
def import_cmd(table: Path, project_ref: str, dry_run: bool) -> None:
    """Create the tasks listed in TABLE (CSV: path,kind,code,type,resources,depends_on,timing,...).

    A row's path (``SEQ010/SH0010/comp``) names the task and its parent; rows
    whose path already exists are skipped, so importing twice adds nothing.
    """
    from stalker_core.cli.lookup import find_project
    from stalker_core.workflows.task_import import import_tasks, read_rows

    rows = read_rows(table)
    session = connect()
    project = find_project(session, project_ref)
    authorize(session, "Create", "Task", what=f"tasks in project {project.code!r}")
    with progress(f"checking {len(rows)} row(s) of {table.name}", total=len(rows)) as bar:
        report = import_tasks(session, project, rows, source=str(table),
                              on_row=lambda _row: bar.advance())
    if dry_run:
        session.rollback()
    else:
        session.commit()
    by_path = {r.path: r for r in rows}
    listed = [{"id": None if dry_run else tid, "path": path, "kind": by_path[path].kind}
              for path, tid in report.created.items()]
    if output_format() != "table":
        emit_rows(listed, ("id", "path", "kind"))
        return
    verb = "would create" if dry_run else "created"
    counts = ", ".join(f"{n} {k.lower()}(s)" for k, n in sorted(report.kinds.items()))
    click.echo(f"project {project.code!r}: {verb} {counts or 'nothing'}"
               f"; skipped {len(report.skipped)} existing path(s)")
