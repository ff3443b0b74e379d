"""``stalker plugins``: what plugins are installed, their hooks, and where they came from.

``plugins list`` always loads the plugins leniently (a broken plugin is
listed as not loaded, whatever the strict setting says) unless ``--strict``
asks it to fail like the other commands would in strict mode.
"""

from __future__ import annotations

import click

from stalker_core.cli.output import emit_rows, make_console, output_format, output_options

COLUMNS = ("plugin", "from", "hooks", "loaded", "error")


@click.group(name="plugins")
def command() -> None:
    """Inspect the plugins."""


@command.command(name="list")
@click.option("--strict", is_flag=True, help="Fail when a plugin cannot be loaded.")
@output_options()
def list_cmd(strict: bool) -> None:
    """List every plugin with its hooks and origin, and the plugins that failed to load."""
    from stalker_core.plugins import describe_plugins, get_plugin_manager

    pm = get_plugin_manager(strict=strict)
    rows = [{"plugin": row["name"], "from": row["source"], "hooks": row["hooks"],
             "loaded": True, "error": None} for row in describe_plugins(pm)]
    failed = [{"plugin": err.name, "from": err.source, "hooks": [], "loaded": False,
               "error": str(err)} for err in pm.load_errors]
    blocked = sorted(n for n, p in pm.list_name_plugin() if p is None)
    if output_format() != "table":
        blocked_rows: list[dict[str, object]] = [
            {"plugin": n, "from": "blocked", "hooks": [], "loaded": False, "error": None}
            for n in blocked
        ]
        emit_rows(rows + failed + blocked_rows, COLUMNS)
        return
    emit_rows(rows, ("plugin", "from", "hooks"), title="stalker_core plugins")
    console = make_console()
    for err in pm.load_errors:
        console.print(f"[red]not loaded:[/red] {err}", highlight=False)
    if blocked:
        console.print(f"blocked: {', '.join(blocked)}", highlight=False)
