"""``stalker launcher``: the launcher window (loaded lazily by the CLI)."""

from __future__ import annotations

from pathlib import Path

import click

from stalker_core.cli.main import connect, database_option, plugin_manager
from stalker_core.ui.command import require_qt


@click.command(name="launcher")
@click.option("--user", "login", default=None,
              help="Whose tasks to list (default: the user with your login name).")
@click.option("--screenshot", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Render the window to this PNG and exit instead of running.")
@click.option("--demo", is_flag=True, help="With --screenshot: the state shown in the docs.")
@database_option
@click.pass_context
def command(ctx: click.Context, login: str | None, screenshot: Path | None, demo: bool) -> None:
    """Open the launcher: my tasks, the applications for each, launches and their logs."""
    require_qt()
    from stalker_core.controllers.launcher import LauncherController
    from stalker_core.ui.launcher import LauncherWindow, demo_state
    from stalker_core.ui.windows import application, grab_to

    session = connect(ctx)
    pm = plugin_manager(ctx)
    app = application()
    window = LauncherWindow(controller=LauncherController(
        session=session, plugin_manager=pm, user=login))
    window.show()
    if screenshot is not None:
        if demo:
            demo_state(window)
        window.timer.stop()
        grab_to(window, screenshot, delete=True)
        click.echo(f"wrote {screenshot}")
        return
    app.exec()
