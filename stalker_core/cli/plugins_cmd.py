"""``stalker plugins``: what plugins are installed, their hooks, and where they came from."""

from __future__ import annotations

import click


@click.group(name="plugins")
def command() -> None:
    """Inspect the plugins."""


@command.command(name="list")
@click.option("--strict", is_flag=True, help="Fail when a plugin cannot be loaded.")
def list_cmd(strict: bool) -> None:
    """List every plugin with its hooks and origin, and the plugins that failed to load."""
    from rich.console import Console
    from rich.table import Table

    from stalker_core.plugins import describe_plugins, get_plugin_manager

    pm = get_plugin_manager(strict=True if strict else None)
    table = Table(title="stalker_core plugins")
    table.add_column("plugin", style="bold")
    table.add_column("from")
    table.add_column("hooks")
    for row in describe_plugins(pm):
        table.add_row(row["name"], row["source"], "\n".join(row["hooks"]) or "-")
    console = Console()
    console.print(table)
    for err in pm.load_errors:
        console.print(f"[red]not loaded:[/red] {err}", highlight=False)
    blocked = sorted(n for n, p in pm.list_name_plugin() if p is None)
    if blocked:
        console.print(f"blocked: {', '.join(blocked)}", highlight=False)
