"""``stalker launch APP --task ID``: start an application for a task."""

from __future__ import annotations

import click

from stalker_core.cli.main import connect, database_option, plugin_manager
from stalker_core.cli.params import ID, SECONDS_OR_ZERO


@click.command(name="launch", context_settings={"ignore_unknown_options": True})
@click.argument("application")
@click.option("--task", "task_id", type=ID, required=True, help="The task to work on.")
@click.option("--variant", default=None, help="The version to start (default: the first "
              "installed of the configured variants).")
@click.option("--new", is_flag=True, help="Start with a new scene even when a work file exists.")
@click.option("--wait", is_flag=True, help="Wait for the application and exit with its code.")
@click.option("--dry-run", is_flag=True, help="Print the plan (program, file, environment) "
              "and start nothing.")
@click.option("--startup-check", type=SECONDS_OR_ZERO, default=2.0, show_default=True,
              help="Seconds to watch for a crash at start-up (without --wait).")
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
@database_option
@click.pass_context
def command(ctx: click.Context, application: str, task_id: int, variant: str | None, new: bool,
            wait: bool, dry_run: bool, startup_check: float, args: tuple[str, ...]) -> None:
    """Start APPLICATION for a task, with its latest work file and the pipeline loaded.

    Arguments after `--` go to the application unchanged, e.g.
    `stalker launch blender --task 12 --wait -- -b --python-expr "..."`.
    """
    from stalker_core.config import process_environment
    from stalker_core.exceptions import LaunchError
    from stalker_core.workflows.launch import plan_launch, start

    session = connect(ctx)
    plan = plan_launch(application, task_id, variant=variant, new=new, extra_args=args,
                       base_env=process_environment(), session=session,
                       plugin_manager=plugin_manager(ctx))
    click.echo(f"launching {plan}")
    if dry_run:
        click.echo("command: " + " ".join(plan.argv))
        for key in sorted(k for k in plan.env if k.startswith("STALKER_")):
            click.echo(f"  {key}={plan.env[key]}")
        return
    launch = start(plan, plugin_manager(ctx))
    for note in launch.notes:
        click.echo(note)
    click.echo(f"started pid {launch.pid}; log: {plan.log_path}")
    code = launch.wait() if wait else launch.check_startup(startup_check)
    if code is None:
        return
    if code != 0:
        click.echo(f"--- the last lines of {plan.log_path} ---", err=True)
        click.echo(launch.log_tail(), err=True)
        when = "" if wait else " at start-up"
        raise LaunchError(
            f"{plan.application.label} exited with code {code}{when}; its log is "
            f"{plan.log_path} (last lines above)"
        )
    if wait:
        click.echo(f"{plan.application.label} exited with code 0")
