"""``stalker ui NAME``: open a panel in the standalone host (loaded lazily by the CLI)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import click

from stalker_core.cli.main import connect, database_option, plugin_manager
from stalker_core.exceptions import MissingExtraError

UI_EXTRA = "ui"


def require_qt() -> None:
    """Refuse clearly when Qt.py (the ``ui`` extra) is not installed."""
    if importlib.util.find_spec("Qt") is None:
        raise MissingExtraError("the Qt panels", UI_EXTRA, "Qt.py")


def _demo_state(widget: object) -> None:
    """Put the panel in the state its module shows in pictures (its ``demo_state``), if any."""
    import importlib

    module = importlib.import_module(type(widget).__module__)
    state = getattr(module, "demo_state", None)
    if callable(state):
        state(widget)


@click.command(name="ui")
@click.argument("panel", required=False)
@click.option("--list", "list_only", is_flag=True, help="List the panels and exit.")
@click.option("--file", "workfile", type=click.Path(path_type=Path, dir_okay=False),
              default=None, help="Open this work file in the standalone host first.")
@click.option("--screenshot", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Render the panel to this PNG (1280x800) and exit instead of running.")
@click.option("--demo", is_flag=True,
              help="With --screenshot: first put the panel in the state shown in the docs.")
@database_option
@click.pass_context
def command(ctx: click.Context, panel: str | None, list_only: bool, workfile: Path | None,
            screenshot: Path | None, demo: bool) -> None:
    """Open an artist panel (workfiles, publish, loader, inventory) in the standalone host."""
    from stalker_core.controllers.registry import panel_spec, panel_specs

    pm = plugin_manager(ctx)
    if list_only or panel is None:
        for spec in panel_specs(pm):
            click.echo(f"{spec.name:<12} {spec.title}  ({spec.plugin})")
        if panel is None and not list_only:
            click.echo("\nrun: stalker ui NAME")
        return
    panel_spec(panel, pm)  # an unknown name fails here, before Qt starts
    require_qt()
    from stalker_core.ui.windows import application, grab_to, show
    from stalker_core.workflows import get_host

    session = connect(ctx)
    host = get_host(pm)
    if workfile is not None:
        host.open_file(workfile.resolve())
    app = application()
    widget = show(panel, host=host, session=session, plugin_manager=pm)
    if screenshot is not None:
        if demo:
            _demo_state(widget)
        grab_to(widget, screenshot)
        click.echo(f"wrote {screenshot}")
        return
    app.exec()
