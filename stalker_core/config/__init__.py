"""Layered, declarative TOML configuration, and the one reader of the environment.

Every setting is declared once, as a field of :class:`Config` made by
:func:`setting` (dotted key, default, validation rule, doc string). The
validation schema (:data:`SCHEMA`), the keyword-override names
(:data:`FIELD_KEYS`), the packaged defaults file and ``docs/configuration.md``
are derived from those fields (:mod:`stalker_core.config.text` writes the
files: ``python -m stalker_core.config --write``; a test checks they are
current). Validation rules live in :mod:`stalker_core.config.rules`.

Layers, later ones winning key by key:

1. the declared defaults (written out, commented, as ``config/stalker.toml``
   and its wheel copy ``stalker_core/_defaults/stalker.toml``);
2. a studio file: the one named by the ``STALKER_CONFIG`` environment
   variable or, when unset, ``stalker.toml`` in the platformdirs *site*
   config directory and then the *user* config directory;
3. keyword overrides in code: ``get_config(database_url=...)`` for one call,
   :func:`configure` for the whole process.

Files are parsed with :mod:`tomllib`; nothing is executed. Unknown keys and
values of the wrong type raise :class:`~stalker_core.exceptions.ConfigError`
naming the file and the dotted key.

Environment variables are declared once too (:data:`ENV_VARS`) and read only
through this module's accessors (:func:`env_value`, :func:`env_flag`,
:func:`env_names`, :func:`environment`, :func:`repository_env`); no other
module of the package reads ``os.environ``.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from importlib import resources
from pathlib import Path
from typing import Any

from stalker_core.config.defaults import APPLICATIONS, STATUS_LISTS, STATUS_NAMES

# the environment variables (config/environment.py), re-exported: code reads them from here
from stalker_core.config.environment import ENV_VAR as ENV_VAR
from stalker_core.config.environment import ENV_VARS as ENV_VARS
from stalker_core.config.environment import REPO_ENV_PREFIX as REPO_ENV_PREFIX
from stalker_core.config.environment import EnvVar as EnvVar
from stalker_core.config.environment import env_flag as env_flag
from stalker_core.config.environment import env_names as env_names
from stalker_core.config.environment import env_value as env_value
from stalker_core.config.environment import environment as environment
from stalker_core.config.environment import process_environment as process_environment
from stalker_core.config.environment import repository_env as repository_env
from stalker_core.config.rules import (
    APPLICATIONS_TABLE,
    BOOLEAN,
    INTERVALS,
    POSITIVE_INT,
    STATUS_LIST_TABLE,
    STATUS_TABLE,
    STRING,
    STRING_LIST,
    Rule,
    number,
    one_of,
)

# re-exported: the WorkingHours model validates its intervals with it
from stalker_core.config.rules import check_intervals as check_intervals
from stalker_core.exceptions import ConfigError

APP_NAME = "stalker_core"
APP_AUTHOR = "stalker"
FILE_NAME = "stalker.toml"
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: where the declared defaults come from, as listed first in :attr:`Config.sources`
DEFAULTS_SOURCE = "<stalker_core defaults>"


def user_data_dir() -> Path:
    """The per-user data directory (holds the default SQLite database)."""
    import platformdirs  # imported when needed: importing the models reads no settings

    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def site_config_file() -> Path:
    """``stalker.toml`` in the platformdirs site config directory."""
    import platformdirs

    return Path(platformdirs.site_config_dir(APP_NAME, APP_AUTHOR)) / FILE_NAME


def user_config_file() -> Path:
    """``stalker.toml`` in the platformdirs user config directory."""
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR)) / FILE_NAME


def default_database_url() -> str:
    """SQLite file ``stalker.db`` in :func:`user_data_dir`."""
    return f"sqlite:///{user_data_dir() / 'stalker.db'}"


# --- the declaration -------------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    """The declaration of one setting (kept in the metadata of a :class:`Config` field).

    :param key: ``section.name`` for a value, or ``section`` for a whole table.
    :param default: the built-in default.
    :param rule: the validation rule (applied to each item when ``items`` is given).
    :param doc: what the setting means (docs and the defaults file).
    :param items: the fixed keys of a table that files override one by one
        (``working_hours``); without them a table replaces the default whole.
    :param default_doc: how the docs show a default that is resolved at run time.
    :param merge: a table of tables merged two levels deep: a later layer's
        ``[section.name]`` table changes only the keys it sets, and adds names
        (``applications``).
    :param runs: what the setting makes stalker_core run (a program, Python
        code), for the docs' list of what a configuration file can run;
        empty for a setting that runs nothing.
    """

    key: str
    default: Any
    rule: Rule
    doc: str
    items: tuple[str, ...] = ()
    default_doc: str | None = None
    merge: bool = False
    runs: str = ""

    @property
    def section(self) -> str:
        """The TOML table the setting lives in."""
        return self.key.split(".", 1)[0]

    def schema_keys(self) -> dict[str, Rule]:
        """The dotted keys this setting accepts in a file, with their rule."""
        if self.items:
            return {f"{self.key}.{item}": self.rule for item in self.items}
        return {self.key: self.rule}


def setting(key: str, default: Any, rule: Rule, doc: str, *, items: Sequence[str] = (),
            default_doc: str | None = None, merge: bool = False, runs: str = "") -> Any:
    """Declare a :class:`Config` field as a setting (see :class:`Setting`)."""
    meta = {"setting": Setting(key, default, rule, " ".join(doc.split()), tuple(items),
                               default_doc, merge, " ".join(runs.split()))}
    if isinstance(default, list | dict):
        return field(default_factory=lambda: copy.deepcopy(default), metadata=meta)
    return field(default=default, metadata=meta)


#: the doc string of each TOML table, in the order the tables are written
SECTIONS: dict[str, str] = {
    "database": "The database.",
    "admin": "The administrator created by db.init() (the password is stored hashed).",
    "schedule": "Scheduling units and the TaskJuggler backend.",
    "working_hours": "The studio's default working hours.",
    "statuses": "The default statuses created by db.init().",
    "status_lists": "The default status list of each class.",
    "ticket": "Tickets.",
    "permissions": "Who may write, and who is acting (docs/permissions.md).",
    "plugins": "Plugin loading (docs/hooks.md).",
    "templates": "Limits on the work of one render of a filename or structure template "
                 "(docs/templates.md).",
    "launch": "Starting applications for a task (stalker launch, docs/launcher.md).",
    "applications": "The applications the launcher starts.",
    "compat": "Running scripts written for Stalker (docs/stalker-compat.md).",
}

@dataclass(frozen=True)
class Config:
    """The resolved settings (read-only). ``sources`` lists the layers used.

    Each field but ``sources`` is a setting declared with :func:`setting`.
    """

    database_url: str = setting(
        "database.url", "", STRING,
        "SQLAlchemy URL of the database. Empty: a SQLite file stalker.db in the "
        "platformdirs user data directory of stalker_core.",
        default_doc='"" (a SQLite file `stalker.db` in the user data directory)')
    admin_name: str = setting("admin.name", "admin", STRING, "The administrator's name.")
    admin_login: str = setting("admin.login", "admin", STRING, "The administrator's login.")
    admin_email: str = setting("admin.email", "admin@admin.com", STRING,
                               "The administrator's e-mail address.")
    admin_password: str = setting(
        "admin.password", "admin", STRING,
        "The administrator's first password; change it in the studio file before "
        "db.init() on a shared server.")
    admin_department: str = setting("admin.department", "admins", STRING,
                                    "The department the administrator is put in.")
    admin_group: str = setting("admin.group", "admins", STRING,
                               "The permission group the administrator is put in.")
    timing_resolution: int = setting(
        "schedule.timing_resolution", 3600, POSITIVE_INT,
        "Resolution of schedules in seconds (TaskJuggler's timingresolution).")
    daily_working_hours: float = setting(
        "schedule.daily_working_hours", 9.0, number(0, 24),
        "Working hours in a day, the unit of efforts and lengths given in days.")
    weekly_working_days: float = setting("schedule.weekly_working_days", 5.0, number(0, 7),
                                         "Working days in a week.")
    yearly_working_days: float = setting("schedule.yearly_working_days", 261.0,
                                         number(0, 366), "Working days in a year.")
    tj3_command: str = setting(
        "schedule.tj3_command", "tj3", STRING,
        "The TaskJuggler executable: a name on PATH or an absolute path.",
        runs="The program it names, whatever it is, with the rights of the user, each time "
             "a schedule uses the tj3 backend (stalker schedule --scheduler tj3, "
             "TaskJugglerScheduler).")
    tj3_timeout: float = setting("schedule.tj3_timeout", 600, number(0),
                                 "Seconds tj3 may run before the schedule fails.")
    working_hours: dict[str, list[list[int]]] = setting(
        "working_hours",
        {**{d: [[540, 1080]] for d in WEEKDAYS[:5]}, "sat": [], "sun": []},
        INTERVALS,
        "Each weekday's working intervals in minutes since midnight, as a list of "
        "[start, end] pairs. A studio file may set some days only.",
        items=WEEKDAYS)
    status_names: dict[str, str] = setting(
        "statuses", STATUS_NAMES, STATUS_TABLE,
        "code = name of every default status. A studio table replaces this one whole.")
    status_lists: dict[str, list[str]] = setting(
        "status_lists", STATUS_LISTS, STATUS_LIST_TABLE,
        "The ordered status codes allowed for each class; the first is the default. "
        "A studio table replaces this one whole.")
    ticket_types: list[str] = setting("ticket.types", ["Defect", "Enhancement"], STRING_LIST,
                                      "The types a ticket may have.")
    permissions_anonymous: str = setting(
        "permissions.anonymous", "local", one_of("local", "allow", "deny"),
        "Writes with no acting user (the operating system's login is no user of the "
        "database and none was given). local: allowed on a SQLite file database only (whoever "
        "can run the tools on it can write the file anyway), refused on a server database; "
        "allow: always allowed, unchecked; deny: always refused.")
    permissions_require_password: bool = setting(
        "permissions.require_password", False, BOOLEAN,
        "true: the command line acts as a user only with that user's password "
        "(STALKER_PASSWORD, else a prompt); the operating system's login is not trusted.")
    plugins_blocked: list[str] = setting(
        "plugins.blocked", [], STRING_LIST,
        "Names of plugins never registered (entry-point, built-in or module names).")
    plugins_strict: bool = setting(
        "plugins.strict", False, BOOLEAN,
        "true: a plugin that fails to load is an error, not a warning.")
    plugins_autoload: bool = setting(
        "plugins.autoload", True, BOOLEAN,
        "false: plugins installed through the stalker_core entry-point group are not "
        "loaded; built-in plugins, STALKER_PLUGINS modules and plugins registered in "
        "code still are.")
    template_max_seconds: float = setting(
        "templates.max_seconds", 2.0, number(0),
        "Seconds one render of a template may run before it stops with a "
        "TemplateLimitError.")
    template_max_steps: int = setting(
        "templates.max_steps", 50_000, POSITIVE_INT,
        "Loop iterations plus calls (macros, methods, filters) one render may make; a "
        "range() longer than this is refused at once.")
    template_max_output: int = setting(
        "templates.max_output", 1_000_000, POSITIVE_INT,
        "Characters one render may produce, and the size of any value a template builds "
        "(characters of a string, items of a list, digits of a number).")
    launch_save_new: bool = setting(
        "launch.save_new", True, BOOLEAN,
        "true: a task with no work file for the application starts with a new scene "
        "saved at once as its first version (the host does it at start-up).")
    launch_python_path: list[str] = setting(
        "launch.python_path", [], STRING_LIST,
        "Folders holding stalker_core and its dependencies for the applications' Python "
        "(a studio deploy folder). Empty: the folders of the launcher's own interpreter.",
        runs="The Python code in these folders: the applications the launcher starts "
             "import stalker_core (and its plugins) from them.")
    applications: dict[str, dict[str, Any]] = setting(
        "applications", APPLICATIONS, APPLICATIONS_TABLE,
        "Each application: label, icon, variants (versions, the first is the default), "
        "executables per platform as patterns with {version} and {short} (the version up "
        "to a 'v'), args, file_args (how the work file is passed, {file}), env (values may "
        "use {version}) and the extensions of its work files. Host plugins also discover "
        "installs (stalker_launch_discover). A studio [applications.NAME] table changes "
        "only the keys it sets, or adds an application.", merge=True,
        runs="The executables of each application, with their args and env, when stalker "
             "launch or the launcher starts it.")
    compat_lenient_constructors: bool = setting(
        "compat.lenient_constructors", False, BOOLEAN,
        "true: a model constructor ignores a keyword argument it does not know, with a "
        "StalkerWarning naming it, as Stalker's constructors do; for scripts being "
        "ported. false (the default): such a keyword is a TypeError.")
    sources: tuple[str, ...] = ()

    @property
    def weekly_working_hours(self) -> float:
        """``daily_working_hours * weekly_working_days``."""
        return self.daily_working_hours * self.weekly_working_days

    @property
    def repo_env_var_template(self) -> str:
        """``"REPO{code}"``: the name of a repository's path variable (Stalker's setting).

        Fixed, not a setting: stored ``$REPO<code>`` paths depend on it.
        """
        return REPO_ENV_PREFIX + "{code}"

    def status_name(self, code: str) -> str:
        """The configured name of status ``code`` (the code itself when unknown)."""
        return self.status_names.get(code, code)


#: Config attribute -> declaration, in declaration order
SETTINGS: dict[str, Setting] = {
    f.name: f.metadata["setting"] for f in fields(Config) if "setting" in f.metadata
}
#: dotted key -> validation rule (derived from :data:`SETTINGS`)
SCHEMA: dict[str, Rule] = {k: r for s in SETTINGS.values() for k, r in s.schema_keys().items()}
#: Config attribute -> dotted key, for keyword overrides (derived from :data:`SETTINGS`)
FIELD_KEYS: dict[str, str] = {name: s.key for name, s in SETTINGS.items()}


# --- loading -------------------------------------------------------------------------


def _flatten(data: Mapping[str, Any], path: object, prefix: str = "") -> dict[str, Any]:
    """Flatten nested tables to dotted keys, stopping at the schema's keys."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if dotted in SCHEMA:
            flat[dotted] = value
        elif any(k.startswith(dotted + ".") for k in SCHEMA):
            if not isinstance(value, dict):
                raise ConfigError(f"expected a table [{dotted}], got {value!r}",
                                  path=path, key=dotted)
            flat.update(_flatten(value, path, dotted + "."))
        else:
            import difflib

            near = difflib.get_close_matches(dotted, list(SCHEMA) + list(SECTIONS), n=1)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            raise ConfigError(f"unknown setting{hint}", path=path, key=dotted)
    return flat


def _validate(flat: Mapping[str, Any], path: object) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in flat.items():
        check = SCHEMA.get(key)
        if check is None:
            raise ConfigError("unknown setting", path=path, key=key)
        try:
            out[key] = check(value)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"invalid value: {exc}", path=path, key=key) from None
    return out


def read_toml(path: Path) -> dict[str, Any]:
    """Parse one TOML file into validated dotted keys.

    :raises ConfigError: unreadable file, TOML syntax error, unknown key, bad value.
    """
    import tomllib  # imported when a file is read: importing the models reads none

    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError("configuration file not found", path=path) from None
    except OSError as exc:
        raise ConfigError(f"cannot read configuration file: {exc}", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", path=path) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"not a TOML text file: the byte at offset {exc.start} is not UTF-8 "
            "(a binary file, or text in another encoding)", path=path) from None
    return _validate(_flatten(data, path), path)


def declared_defaults() -> dict[str, Any]:
    """The declared default of every dotted key of :data:`SCHEMA` (fresh copies)."""
    flat: dict[str, Any] = {}
    for s in SETTINGS.values():
        if s.items:
            flat.update({f"{s.key}.{i}": copy.deepcopy(s.default[i]) for i in s.items})
        else:
            flat[s.key] = copy.deepcopy(s.default)
    return flat


def packaged_defaults_text() -> str:
    """The text of the packaged default ``stalker.toml`` (generated from the declaration)."""
    return resources.files("stalker_core").joinpath("_defaults", FILE_NAME).read_text("utf-8")


def studio_files() -> list[Path]:
    """The studio configuration files that apply, lowest priority first.

    :raises ConfigError: when ``STALKER_CONFIG`` names a missing file.
    """
    env = env_value(ENV_VAR)
    if env:
        path = Path(env).expanduser()
        if not path.is_file():
            raise ConfigError(f"{ENV_VAR} names a file that does not exist", path=path)
        return [path]
    return [p for p in (site_config_file(), user_config_file()) if p.is_file()]


#: the dotted keys whose tables of tables are merged across layers (Setting.merge)
_MERGED = frozenset(s.key for s in SETTINGS.values() if s.merge)


def _merge_tables(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = {name: dict(table) for name, table in base.items()}
    for name, table in over.items():
        out[name] = {**out.get(name, {}), **table}
    return out


def _build(layers: list[tuple[object, dict[str, Any]]]) -> Config:
    merged: dict[str, Any] = {}
    for _, layer in layers:
        for key, value in layer.items():
            merged[key] = _merge_tables(merged[key], value) if (
                key in _MERGED and key in merged) else value
    kwargs: dict[str, Any] = {}
    for name, s in SETTINGS.items():
        if s.items:
            kwargs[name] = {i: merged[f"{s.key}.{i}"] for i in s.items}
        else:
            kwargs[name] = merged[s.key]
    if not kwargs["database_url"]:
        kwargs["database_url"] = default_database_url()
    for code in {c for codes in kwargs["status_lists"].values() for c in codes}:
        if code not in kwargs["status_names"]:
            src = next(
                (str(p) for p, layer in reversed(layers) if "status_lists" in layer), None
            )
            raise ConfigError(
                f"status code {code!r} used in a status list has no name in [statuses]",
                path=src,
                key="status_lists",
            )
    kwargs["sources"] = tuple(str(p) for p, _ in layers)
    return Config(**kwargs)


def _override_layer(overrides: Mapping[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name, value in overrides.items():
        s = SETTINGS.get(name)
        if s is not None and s.items:
            if not isinstance(value, Mapping):
                raise ConfigError(f"expected a mapping of {'/'.join(s.items)} -> value",
                                  key=name)
            flat.update({f"{s.key}.{item}": v for item, v in value.items()})
            continue
        key = s.key if s is not None else (name if name in SCHEMA else None)
        if key is None:
            raise ConfigError(
                f"unknown setting; expected one of {sorted(FIELD_KEYS)} or a dotted key",
                path="<keyword overrides>",
                key=name,
            )
        flat[key] = value
    return _validate(flat, "<keyword overrides>")


_lock = threading.Lock()
_cache: Config | None = None
_process_overrides: dict[str, Any] = {}


def load_config(**overrides: Any) -> Config:
    """Read every layer now (no cache) and apply ``overrides``.

    Overrides are Config field names (``database_url="sqlite://"``,
    ``working_hours={"sat": [[600, 900]]}``) or dotted keys.
    """
    layers: list[tuple[object, dict[str, Any]]] = [(DEFAULTS_SOURCE, declared_defaults())]
    for path in studio_files():
        layers.append((path, read_toml(path)))
    env_url = env_value("STALKER_DATABASE_URL")
    if env_url:
        layers.append(("STALKER_DATABASE_URL", {"database.url": env_url}))
    merged_overrides = {**_process_overrides, **overrides}
    if merged_overrides:
        layers.append(("<keyword overrides>", _override_layer(merged_overrides)))
    return _build(layers)


def get_config(**overrides: Any) -> Config:
    """Return the configuration: cached when called without ``overrides``."""
    global _cache
    if overrides:
        return load_config(**overrides)
    with _lock:
        if _cache is None:
            _cache = load_config()
        return _cache


def configure(**overrides: Any) -> Config:
    """Set process-wide keyword overrides (the top layer) and return the new config."""
    global _cache
    new = load_config(**overrides)  # validate before storing
    with _lock:
        _process_overrides.update(overrides)
        _cache = new
    return new


def reset() -> None:
    """Forget the cached configuration and the process-wide overrides (re-read files)."""
    global _cache
    with _lock:
        _process_overrides.clear()
        _cache = None


class _Defaults:
    """``stalker_core.defaults``: attribute access to the current :class:`Config`."""

    def __getattr__(self, name: str) -> Any:
        return getattr(get_config(), name)

    def __dir__(self) -> list[str]:
        derived = [n for n, v in vars(Config).items() if isinstance(v, property)]
        return [f.name for f in fields(Config)] + derived

    def __repr__(self) -> str:
        return f"<stalker_core.defaults {get_config()!r}>"


#: Stalker-style ``defaults`` object: ``stalker_core.defaults.timing_resolution``.
defaults = _Defaults()

