"""Layered, declarative TOML configuration.

Layers, later ones winning key by key:

1. the packaged defaults, ``stalker_core/_defaults/stalker.toml`` (a copy of
   the repository's ``config/stalker.toml``, shipped in the wheel);
2. a studio file: the one named by the ``STALKER_CONFIG`` environment
   variable or, when unset, ``stalker.toml`` in the platformdirs *site*
   config directory and then the *user* config directory;
3. keyword overrides in code: ``get_config(database_url=...)`` for one call,
   :func:`configure` for the whole process.

Files are parsed with :mod:`tomllib`; nothing is executed. Unknown keys and
values of the wrong type raise :class:`~stalker_core.exceptions.ConfigError`
naming the file and the dotted key.
"""

from __future__ import annotations

import os
import threading
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from importlib import resources
from pathlib import Path
from typing import Any

import platformdirs

from stalker_core.exceptions import ConfigError

APP_NAME = "stalker_core"
APP_AUTHOR = "stalker"
ENV_VAR = "STALKER_CONFIG"
FILE_NAME = "stalker.toml"
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def user_data_dir() -> Path:
    """The per-user data directory (holds the default SQLite database)."""
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def site_config_file() -> Path:
    """``stalker.toml`` in the platformdirs site config directory."""
    return Path(platformdirs.site_config_dir(APP_NAME, APP_AUTHOR)) / FILE_NAME


def user_config_file() -> Path:
    """``stalker.toml`` in the platformdirs user config directory."""
    return Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR)) / FILE_NAME


def default_database_url() -> str:
    """SQLite file ``stalker.db`` in :func:`user_data_dir`."""
    return f"sqlite:///{user_data_dir() / 'stalker.db'}"


# --- validators: (value, where) -> normalised value --------------------------

Check = Callable[[Any], Any]


def _expect(kind: str, ok: Callable[[Any], bool]) -> Check:
    def check(value: Any) -> Any:
        if not ok(value):
            raise TypeError(f"expected {kind}, got {type(value).__name__} {value!r}")
        return value

    return check


_str = _expect("a string", lambda v: isinstance(v, str))
_bool = _expect("true or false", lambda v: isinstance(v, bool))
_str_list = _expect(
    "a list of strings", lambda v: isinstance(v, list) and all(isinstance(i, str) for i in v)
)


def _number(minimum: float = 0.0, maximum: float | None = None) -> Check:
    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"expected a number, got {type(value).__name__} {value!r}")
        if value <= minimum or (maximum is not None and value > maximum):
            upper = f" and <= {maximum}" if maximum is not None else ""
            raise ValueError(f"expected a number > {minimum}{upper}, got {value!r}")
        return value

    return check


def _positive_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise TypeError(f"expected a positive integer, got {value!r}")
    return value


def check_intervals(value: Any) -> list[list[int]]:
    """Validate a day's working intervals ``[[start, end], ...]`` in minutes.

    :raises TypeError: not a list of pairs of integers.
    :raises ValueError: outside 0..1440, start >= end, or overlapping.
    """
    if not isinstance(value, list | tuple):
        raise TypeError(f"expected a list of [start, end] pairs, got {value!r}")
    out: list[list[int]] = []
    for pair in value:
        if (
            not isinstance(pair, list | tuple)
            or len(pair) != 2
            or not all(isinstance(m, int) and not isinstance(m, bool) for m in pair)
        ):
            raise TypeError(f"expected [start, end] minute pairs of integers, got {pair!r}")
        start, end = pair
        if not 0 <= start < end <= 1440:
            raise ValueError(f"expected 0 <= start < end <= 1440 minutes, got {list(pair)!r}")
        out.append([start, end])
    out.sort()
    for (_, end1), (start2, _) in zip(out, out[1:], strict=False):
        if start2 < end1:
            raise ValueError(f"working intervals overlap: {out!r}")
    return out


def _statuses(value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and k and v for k, v in value.items()
    ):
        raise TypeError(f"expected a table of CODE = \"Name\", got {value!r}")
    return dict(value)


def _status_lists(value: Any) -> dict[str, list[str]]:
    if not isinstance(value, dict):
        raise TypeError(f"expected a table of Class = [\"CODE\", ...], got {value!r}")
    for k, v in value.items():
        _str_list(v)
        if not v:
            raise ValueError(f"status list of {k!r} is empty")
    return {k: list(v) for k, v in value.items()}


#: dotted key -> validator. Tables listed as a whole are free-form inside.
SCHEMA: dict[str, Check] = {
    "database.url": _str,
    "admin.name": _str,
    "admin.login": _str,
    "admin.email": _str,
    "admin.password": _str,
    "admin.department": _str,
    "admin.group": _str,
    "schedule.timing_resolution": _positive_int,
    "schedule.daily_working_hours": _number(0, 24),
    "schedule.weekly_working_days": _number(0, 7),
    "schedule.yearly_working_days": _number(0, 366),
    "schedule.tj3_command": _str,
    "schedule.tj3_timeout": _number(0),
    **{f"working_hours.{d}": check_intervals for d in WEEKDAYS},
    "statuses": _statuses,
    "status_lists": _status_lists,
    "ticket.types": _str_list,
    "plugins.blocked": _str_list,
    "plugins.strict": _bool,
}

#: Config field -> dotted key, for keyword overrides.
FIELD_KEYS: dict[str, str] = {
    "database_url": "database.url",
    "admin_name": "admin.name",
    "admin_login": "admin.login",
    "admin_email": "admin.email",
    "admin_password": "admin.password",
    "admin_department": "admin.department",
    "admin_group": "admin.group",
    "timing_resolution": "schedule.timing_resolution",
    "daily_working_hours": "schedule.daily_working_hours",
    "weekly_working_days": "schedule.weekly_working_days",
    "yearly_working_days": "schedule.yearly_working_days",
    "tj3_command": "schedule.tj3_command",
    "tj3_timeout": "schedule.tj3_timeout",
    "status_names": "statuses",
    "status_lists": "status_lists",
    "ticket_types": "ticket.types",
    "plugins_blocked": "plugins.blocked",
    "plugins_strict": "plugins.strict",
}


def _flatten(data: Mapping[str, Any], path: object, prefix: str = "") -> dict[str, Any]:
    """Flatten nested tables to dotted keys, stopping at the schema's keys."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if dotted in SCHEMA:
            flat[dotted] = value
        elif isinstance(value, dict) and any(k.startswith(dotted + ".") for k in SCHEMA):
            flat.update(_flatten(value, path, dotted + "."))
        else:
            raise ConfigError("unknown setting", path=path, key=dotted)
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
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError("configuration file not found", path=path) from None
    except OSError as exc:
        raise ConfigError(f"cannot read configuration file: {exc}", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", path=path) from None
    return _validate(_flatten(data, path), path)


def packaged_defaults_text() -> str:
    """The text of the packaged default ``stalker.toml``."""
    return resources.files("stalker_core").joinpath("_defaults", FILE_NAME).read_text("utf-8")


def _packaged_defaults() -> dict[str, Any]:
    where = "stalker_core/_defaults/" + FILE_NAME
    try:
        data = tomllib.loads(packaged_defaults_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"packaged defaults unreadable: {exc}", path=where) from None
    return _validate(_flatten(data, where), where)


def studio_files() -> list[Path]:
    """The studio configuration files that apply, lowest priority first.

    :raises ConfigError: when ``STALKER_CONFIG`` names a missing file.
    """
    env = os.environ.get(ENV_VAR)
    if env:
        path = Path(env).expanduser()
        if not path.is_file():
            raise ConfigError(f"{ENV_VAR} names a file that does not exist", path=path)
        return [path]
    return [p for p in (site_config_file(), user_config_file()) if p.is_file()]


@dataclass(frozen=True)
class Config:
    """The resolved settings (read-only). ``sources`` lists the files used."""

    database_url: str
    admin_name: str = "admin"
    admin_login: str = "admin"
    admin_email: str = "admin@admin.com"
    admin_password: str = "admin"
    admin_department: str = "admins"
    admin_group: str = "admins"
    timing_resolution: int = 3600
    daily_working_hours: float = 9.0
    weekly_working_days: float = 5.0
    yearly_working_days: float = 261.0
    tj3_command: str = "tj3"
    tj3_timeout: float = 600
    working_hours: dict[str, list[list[int]]] = field(default_factory=dict)
    status_names: dict[str, str] = field(default_factory=dict)
    status_lists: dict[str, list[str]] = field(default_factory=dict)
    ticket_types: list[str] = field(default_factory=list)
    plugins_blocked: list[str] = field(default_factory=list)
    plugins_strict: bool = False
    sources: tuple[str, ...] = ()

    @property
    def weekly_working_hours(self) -> float:
        """``daily_working_hours * weekly_working_days``."""
        return self.daily_working_hours * self.weekly_working_days

    def status_name(self, code: str) -> str:
        """The configured name of status ``code`` (the code itself when unknown)."""
        return self.status_names.get(code, code)


def _build(layers: list[tuple[object, dict[str, Any]]]) -> Config:
    merged: dict[str, Any] = {}
    for _, layer in layers:
        merged.update(layer)
    kwargs: dict[str, Any] = {}
    for name, key in FIELD_KEYS.items():
        if key in merged:
            kwargs[name] = merged[key]
    if not kwargs.get("database_url"):
        kwargs["database_url"] = default_database_url()
    kwargs["working_hours"] = {
        d: merged.get(f"working_hours.{d}", []) for d in WEEKDAYS
    }
    for code in {c for codes in kwargs.get("status_lists", {}).values() for c in codes}:
        if code not in kwargs.get("status_names", {}):
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
        if name == "working_hours":
            if not isinstance(value, Mapping):
                raise ConfigError("expected a mapping of weekday -> intervals", key=name)
            for day, intervals in value.items():
                flat[f"working_hours.{day}"] = intervals
            continue
        key = FIELD_KEYS.get(name, name if name in SCHEMA else None)
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
    layers: list[tuple[object, dict[str, Any]]] = [
        ("stalker_core/_defaults/" + FILE_NAME, _packaged_defaults())
    ]
    for path in studio_files():
        layers.append((path, read_toml(path)))
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
        return [f.name for f in fields(Config)] + ["weekly_working_hours"]

    def __repr__(self) -> str:
        return f"<stalker_core.defaults {get_config()!r}>"


#: Stalker-style ``defaults`` object: ``stalker_core.defaults.timing_resolution``.
defaults = _Defaults()
