"""The ``stalker`` command: a click group whose sub-commands load lazily.

Sub-commands live in their own modules, each exposing a module-level click
object named ``command`` (contract C4). They are imported only when run, so
``stalker --help`` stays fast, and a module that is missing or fails to
import does not break the other commands: it is listed as unavailable and
running it prints why.

Errors are printed as one line (``error: ...``) with exit status 1; pass
``--debug`` (or set ``STALKER_DEBUG=1``) for the traceback. Warnings of the
library (its loggers) are printed once each as ``warning: ...``.

The database is resolved in one place for every command
(:func:`database_url`): the ``--db URL`` option, given before the command
or after it (:func:`database_option`, one option with one spelling), else
the configured URL. :func:`connect` opens it and refuses a missing or
empty database unless the command creates one (``db init|upgrade`` and
``demo``).

The user a command acts as is established in one place too
(:mod:`stalker_core.cli.acting`): the OS login's user, or ``--as LOGIN``
given before the command; every command that writes checks that user's
permissions before it writes (docs/permissions.md).

Commands that render filename or structure templates
(:data:`TEMPLATE_COMMANDS`) run with the template engine of the plugins
(filters, globals and tests of ``stalker_template_environment``) installed
as the default engine for the duration of the command only; the plugin
manager is built once per invocation (:func:`plugin_manager`). Their
listings (:data:`NO_TEMPLATE_SUBCOMMANDS`, e.g. ``version list``) render
nothing and start without either.
"""

from __future__ import annotations

import difflib
import gc
import importlib
import importlib.util
import logging
import sys
import traceback
from collections.abc import Sequence
from typing import Any

import click

from stalker_core.cli.acting import as_option
from stalker_core.config import env_flag
from stalker_core.exceptions import StalkerError

#: command name -> module exposing ``command``
LAZY_COMMANDS: dict[str, str] = {
    "db": "stalker_core.cli.db_cmd",
    "demo": "stalker_core.cli.demo_cmd",
    "doctor": "stalker_core.cli.doctor_cmd",
    "group": "stalker_core.cli.group_cmd",
    "launch": "stalker_core.cli.launch_cmd",
    "plugins": "stalker_core.cli.plugins_cmd",
    "project": "stalker_core.cli.project_cmd",
    "schedule": "stalker_core.cli.schedule_cmd",
    "task": "stalker_core.cli.task_cmd",
    "timelog": "stalker_core.cli.timelog_cmd",
    "user": "stalker_core.cli.user_cmd",
    "version": "stalker_core.cli.version_cmd",
    # the panels: a layer above the CLI, so named here only by this string
    "ui": "stalker_core.ui.command",
    "launcher": "stalker_core.ui.launcher_command",
}

#: sub-commands that render templates: they run with the plugins' template engine
TEMPLATE_COMMANDS = frozenset({"demo", "project", "version"})
#: the read-only listings among them: they render nothing, so they start without
#: building the plugin manager and the template engine
NO_TEMPLATE_SUBCOMMANDS: dict[str, frozenset[str]] = {
    "project": frozenset({"list", "show"}),
    "version": frozenset({"list"}),
}


def _module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _unavailable(name: str, module: str, error: BaseException) -> click.Command:
    message = f"the '{name}' command is not available ({module}: {type(error).__name__}: {error})"

    @click.command(name=name, help=f"(unavailable: {type(error).__name__})",
                   context_settings={"ignore_unknown_options": True})
    @click.argument("args", nargs=-1, type=click.UNPROCESSED)
    def broken(args: tuple[str, ...]) -> None:
        raise click.ClickException(message)

    return broken


class LazyGroup(click.Group):
    """A group loading sub-commands from :data:`LAZY_COMMANDS` on demand."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # remembered so the group's callback can tell a help request from a run
        ctx.meta["stalker.argv"] = list(args)
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = set(super().list_commands(ctx))
        names |= {n for n, m in LAZY_COMMANDS.items() if _module_exists(m)}
        return sorted(names)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """Click's resolution, with "did you mean" over the lazily loaded commands too."""
        name = click.utils.make_str(args[0])
        if (self.get_command(ctx, name) is None and not ctx.resilient_parsing
                and not name.startswith("-")):
            raise click.exceptions.NoSuchCommand(
                name, possibilities=difflib.get_close_matches(name, self.list_commands(ctx)),
                ctx=ctx,
            )
        return super().resolve_command(ctx, args)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        found = super().get_command(ctx, cmd_name)
        if found is not None:
            return found
        module_name = LAZY_COMMANDS.get(cmd_name)
        if module_name is None or not _module_exists(module_name):
            return None
        try:
            module = importlib.import_module(module_name)
            command = module.command
        except Exception as exc:  # noqa: BLE001 - one broken command must not break the rest
            return _unavailable(cmd_name, module_name, exc)
        if not isinstance(command, click.Command):
            return _unavailable(
                cmd_name, module_name, TypeError("'command' is not a click command")
            )
        return command


_DB_KEY = "database_url"
_DB_HELP = ("Database URL, before or after the command (default: the configured one, "
            "a SQLite file in the user data folder).")


def _remember_database(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is None:
        return
    obj = ctx.find_root().ensure_object(dict)
    before = obj.get(_DB_KEY)
    if before is not None and before != value:
        raise click.UsageError(f"--db is given twice with different URLs: {before!r} and {value!r}")
    obj[_DB_KEY] = value


def database_option(f: Any) -> Any:
    """The ``--db URL`` option, for the group and for every command that uses the database.

    All of them store into one place (the root context), so
    ``stalker --db URL db current`` and ``stalker db current --db URL`` are
    the same; two different URLs are refused.
    """
    return click.option("--db", metavar="URL", default=None, expose_value=False,
                        callback=_remember_database, help=_DB_HELP)(f)


@click.group(cls=LazyGroup)
@click.option("--debug", is_flag=True, help="Show tracebacks of errors.")
@database_option
@as_option
@click.version_option(package_name="stalker_core", prog_name="stalker")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Production asset management: projects, tasks, versions, scheduling, plugins."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    if ctx.invoked_subcommand is not None and not _asks_for_help(ctx):
        from stalker_core.config import get_config

        get_config()  # a bad configuration file is an error for every command, --db or not
    if _renders_templates(ctx) and not _asks_for_help(ctx):
        from stalker_core.plugins.templates import plugin_templates

        # scoped: restored when the command's context closes
        ctx.with_resource(plugin_templates(plugin_manager(ctx)))


def _renders_templates(ctx: click.Context) -> bool:
    """Whether the invoked command may render templates (:data:`TEMPLATE_COMMANDS`).

    A listing of :data:`NO_TEMPLATE_SUBCOMMANDS` does not. Those groups take
    no options of their own, so the first word after the group's name is the
    sub-command's.
    """
    name = ctx.invoked_subcommand
    if name not in TEMPLATE_COMMANDS:
        return False
    after = _words_after_command(ctx)
    return not (after and after[0] in NO_TEMPLATE_SUBCOMMANDS.get(name, frozenset()))


def _words_after_command(ctx: click.Context) -> list[str]:
    """The command line after the invoked sub-command's name (all of it if not found)."""
    argv = ctx.meta.get("stalker.argv", [])
    name = ctx.invoked_subcommand
    return argv[argv.index(name) + 1:] if name in argv else argv


def _asks_for_help(ctx: click.Context) -> bool:
    """True when the command line asks a sub-command for its help (nothing is rendered)."""
    return any(arg in ctx.help_option_names for arg in _words_after_command(ctx))


def plugin_manager(ctx: click.Context | None = None) -> Any:
    """The plugin manager of this invocation (built on first use, then reused).

    :param ctx: any click context of the invocation; ``None`` builds a new manager.
    """
    from stalker_core.plugins import get_plugin_manager

    if ctx is None:
        return get_plugin_manager()
    obj = ctx.find_root().ensure_object(dict)
    pm = obj.get("plugin_manager")
    if pm is None:
        pm = obj["plugin_manager"] = get_plugin_manager()
    return pm


def database_url(ctx: click.Context | None = None) -> str:
    """The database of this invocation: ``--db`` (wherever it was given), else the configured one.

    The one place every command resolves its database.
    """
    ctx = ctx or click.get_current_context(silent=True)
    url = (ctx.find_root().obj or {}).get(_DB_KEY) if ctx is not None else None
    if url:
        return str(url)
    from stalker_core.config import get_config

    return get_config().database_url


def connect(ctx: click.Context | None = None, *, create: bool = False) -> Any:
    """Open the database of :func:`database_url` for a command; return ``DBSession``.

    :param create: create the schema and the default data of a missing or
        empty database (``demo``); otherwise such a database is refused with
        an error naming the command that creates it, and an older schema
        asks for ``stalker db upgrade`` instead of being upgraded silently.
    The session is removed and the engine disposed of when the command ends.
    """
    from stalker_core import db
    from stalker_core.orm.session import DBSession

    ctx = ctx or click.get_current_context(silent=True)
    engine = db.setup({"sqlalchemy.url": database_url(ctx)}, create=create, auto_upgrade=create)
    if create:
        db.init()
    if ctx is not None:
        def close() -> None:
            DBSession.remove()
            engine.dispose()

        ctx.find_root().call_on_close(close)
    return DBSession


_WARNED: set[str] = set()


def warn(message: str) -> None:
    """Print ``warning: message`` on stderr, once per invocation for the same message."""
    if message in _WARNED:
        return
    _WARNED.add(message)
    click.echo(f"warning: {message}", err=True)


class _WarningHandler(logging.Handler):
    """Prints the library's warnings through :func:`warn` (each once)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        warn(record.getMessage())


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    if isinstance(exc, StalkerError):
        return text or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (console script entry point)."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args or env_flag("STALKER_DEBUG")
    _WARNED.clear()
    library_log = logging.getLogger("stalker_core")
    handler, propagate = _WarningHandler(), library_log.propagate
    library_log.addHandler(handler)
    library_log.propagate = False
    try:
        return _run(args, debug)
    finally:
        library_log.removeHandler(handler)
        library_log.propagate = propagate


def console_main() -> int:
    """The ``stalker`` console script: :func:`main` on ``sys.argv``, then a quick exit.

    When the interpreter exits it runs a last garbage collection over every
    object still alive: the mapped classes alone make that about 0.3 s, paid
    after the command's work is done. The process ends right after this
    function returns, so its objects are frozen first (``gc.freeze()``: moved
    where the collector never looks) and the exit skips that pass; atexit
    handlers still run, and objects freed by reference counting are freed as
    always. Only the console script does this: :func:`main` leaves the
    collector alone for callers that live on (tests, applications).
    """
    code = main()
    gc.freeze()
    return code


def _run(args: list[str], debug: bool) -> int:
    try:
        cli.main(args=args, prog_name="stalker", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 1
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 130
    except Exception as exc:  # noqa: BLE001 - every error becomes one clear line
        if debug:
            traceback.print_exc()
        click.echo(f"error: {_one_line(exc)}", err=True)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(console_main())
