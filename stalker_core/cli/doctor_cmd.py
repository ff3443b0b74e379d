"""``stalker doctor``: finish or undo what killed saves and publishes left in the repositories.

It walks every repository of the database that exists on this computer,
resolves the journals of dead saves and publishes and removes their staging
and temporary folders (:func:`stalker_core.workflows.reconcile.reconcile`),
and prints one line per leftover: what it was and what was done. Leftovers
of operations that may still run are left alone, with what to do.
"""

from __future__ import annotations

from pathlib import Path

import click

from stalker_core.cli.main import connect, database_option
from stalker_core.cli.params import HOURS


@click.command(name="doctor")
@database_option
@click.option("--dry-run", is_flag=True, help="Change nothing; say what would be done.")
@click.option("--abandon", "abandon", multiple=True, metavar="JOURNAL",
              type=click.Path(path_type=Path),
              help="A journal whose process is known to be gone (e.g. its computer crashed): "
                   "undo it as a dead one. Repeatable.")
@click.option("--stale-after", type=HOURS, default=24.0, show_default=True, metavar="HOURS",
              help="Hours after which another computer's journal counts as abandoned.")
def command(dry_run: bool, abandon: tuple[Path, ...], stale_after: float) -> None:
    """Clean up after killed saves and publishes (journals, staging and temporary folders)."""
    from stalker_core.workflows.reconcile import (
        leftover_folders,
        reconcile,
        repository_roots,
        unexplained_saving_files,
    )

    session = connect()
    roots = repository_roots(session)
    folders = leftover_folders(roots) + [Path(a).parent for a in abandon]
    try:
        findings = reconcile(session, folders, dry_run=dry_run,
                             abandon=[Path(a).absolute() for a in abandon],
                             stale_after=stale_after * 3600)
    finally:
        session.rollback()  # only read: end the transaction
    for f in findings:
        click.echo(str(f))
    busy = {f.path.parent for f in findings if f.blocking}
    strays = [p for p in unexplained_saving_files(roots) if p.parent not in busy]
    for p in strays:
        click.echo(f"unknown: temporary file {p} (no journal names it; if no save is "
                   "running there, remove it by hand)")
    left = sum(f.blocking for f in findings) + len(strays)
    done = len(findings) - sum(f.blocking for f in findings)
    verb = "would be resolved" if dry_run else "resolved"
    click.echo(f"{len(roots)} repositor{'y' if len(roots) == 1 else 'ies'} checked: "
               f"{done} leftover(s) {verb}, {left} left alone")
