"""The files generated from the settings declaration: the defaults TOML and its docs page.

:func:`defaults_toml` is the commented ``stalker.toml`` holding every declared
setting at its default (``config/stalker.toml`` and its wheel copy
``stalker_core/_defaults/stalker.toml``); :func:`configuration_md` is
``docs/configuration.md`` (every setting and every environment variable).
``python -m stalker_core.config --write`` rewrites the files of a checkout,
``--check`` exits with status 1 naming the stale ones; the tests check the same.
"""

from __future__ import annotations

import argparse
import json
import re
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from stalker_core.config import ENV_VARS, SECTIONS, SETTINGS, EnvVar, Setting
from stalker_core.exceptions import ConfigError

_HEADER = """\
Default settings of stalker_core, generated from the declarations in
stalker_core/config/__init__.py by `python -m stalker_core.config --write`:
edit the declarations, not this file.

A studio file sets any of these keys: the file named by the STALKER_CONFIG
environment variable or, when unset, stalker.toml in the platformdirs site
config directory, then in the user config directory (the user file wins).
Code can override last: get_config(database_url=...). Only the keys below are
accepted; a misspelt key is an error naming the file and the key. Every
setting and environment variable: docs/configuration.md."""

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def toml_value(value: Any) -> str:
    """``value`` (bool, number, string, list) written as a TOML value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # TOML basic strings use JSON's escapes
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(f"{_toml_key(k)} = {toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    raise TypeError(f"expected a bool, number, string, list or table, got {value!r}")


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else json.dumps(key)


def _comment(text: str) -> list[str]:
    return textwrap.wrap(text, 78, initial_indent="# ", subsequent_indent="# ")


def _entries(s: Setting) -> list[tuple[str, Any]]:
    """The ``key = value`` lines of setting ``s`` inside its table."""
    if s.items:
        return [(item, s.default[item]) for item in s.items]
    if "." in s.key:
        return [(s.key.split(".", 1)[1], s.default)]
    return list(s.default.items())


def _by_section() -> dict[str, list[Setting]]:
    grouped: dict[str, list[Setting]] = {name: [] for name in SECTIONS}
    for s in SETTINGS.values():
        if s.section not in grouped:
            raise ConfigError(f"setting {s.key!r} is in a table without a doc in SECTIONS")
        grouped[s.section].append(s)
    return grouped


def defaults_toml() -> str:
    """The commented default ``stalker.toml`` (every declared setting at its default)."""
    lines = [("# " + line).rstrip() for line in _HEADER.splitlines()]
    for section, settings in _by_section().items():
        lines += ["", f"[{section}]"]
        if len(settings) > 1:  # a table of one setting is described by that setting
            lines += [*_comment(SECTIONS[section]), ""]
        for i, s in enumerate(settings):
            lines += [""] * (i > 0) + _comment(s.doc)
            for k, v in _entries(s):
                if isinstance(v, dict) and "." not in s.key and not s.items:
                    # a table of tables (applications): one [section.name] table each
                    lines += ["", f"[{section}.{_toml_key(k)}]"]
                    lines += [f"{_toml_key(ik)} = {toml_value(iv)}" for ik, iv in v.items()]
                else:
                    lines.append(f"{_toml_key(k)} = {toml_value(v)}")
    return "\n".join(lines) + "\n"


#: appended to the meaning of a setting or variable that makes stalker_core run something
_RUNS_NOTE = (" **Runs code**: see [what a configuration can make stalker_core run]"
              "(#what-a-configuration-can-make-stalker_core-run).")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _env_rows(variables: Sequence[EnvVar]) -> list[str]:
    rows = ["| variable | meaning | read by | setting |", "|---|---|---|---|"]
    for v in variables:
        setting = f"`{v.setting}`" if v.setting else ""
        doc = _cell(v.doc) + (_RUNS_NOTE if v.runs else "")
        rows.append(f"| `{v.name}` | {doc} | {_cell(v.reader)} | {setting} |")
    return rows


def _setting_rows(name: str, s: Setting) -> str:
    if s.items:
        key = ", ".join(f"`{i}`" for i in s.items)
        default = "; ".join(f"`{i} = {toml_value(s.default[i])}`" for i in s.items)
    elif "." in s.key:
        key = f"`{s.key.split('.', 1)[1]}`"
        default = s.default_doc or f"`{toml_value(s.default)}`"
    else:
        key = "the whole table"
        default = f"{len(s.default)} entries, see the defaults file below"
    env = ", ".join(f"`{v.name}`" for v in ENV_VARS if v.setting == s.key)
    return (f"| {key} | `{name}` | {_cell(s.rule.text)} | {_cell(default)} | "
            f"{_cell(s.doc)}{_RUNS_NOTE if s.runs else ''} | {env} |")


_INTRO = """\
# Configuration

<!-- Generated by `python -m stalker_core.config --write` from the declarations
in stalker_core/config/__init__.py; tests/test_config.py fails when it is stale. -->

stalker_core's settings are declarative TOML. Each setting is declared once, as
a field of `stalker_core.config.Config` (dotted key, default, validation rule,
meaning); the validation schema, the keyword overrides, the packaged defaults
file [config/stalker.toml](../config/stalker.toml) and this page are derived
from that declaration.

## Layers

Later layers win key by key:

1. the declared defaults (written out as `config/stalker.toml`, shipped in the
   wheel as `stalker_core/_defaults/stalker.toml`);
2. a studio file: the one named by `STALKER_CONFIG` or, when that is unset,
   `stalker.toml` in the platformdirs *site* config directory and then in the
   *user* config directory (on Linux `/etc/xdg/stalker_core/stalker.toml` and
   `~/.config/stalker_core/stalker.toml`; both apply, the user file wins);
3. keyword overrides in code: `stalker_core.get_config(database_url=...)` for
   one call, `stalker_core.configure(...)` for the whole process. Keywords are
   the `Config` attributes below, or dotted keys such as
   `"schedule.timing_resolution"`.

Files are read with `tomllib`, never executed. A key not listed below, or a
value that breaks its rule, is a `ConfigError` naming the file and the dotted
key. `[working_hours]` is merged day by day; `[statuses]` and `[status_lists]`
replace the default table whole. `get_config()` is cached for the process;
`stalker_core.config.reset()` forgets the cache and the `configure()` overrides.

## Settings"""

_ENV_INTRO = """\
## Environment variables

Every environment variable stalker_core reads is declared in
`stalker_core.config.ENV_VARS` and read through `env_value()`, `env_flag()`,
`env_names()` or `environment()` of that module; no other module of the
package reads `os.environ` (a test checks it), and reading an undeclared
variable through the accessors is an error. Flags take `1`, `true`, `yes` or
`on`; lists are comma separated. The plugin variables act together with their
settings as described in [hooks.md](hooks.md)."""

_RUNS_INTRO = """\
## What a configuration can make stalker_core run

Settings are data, never executed, but some of them name programs or code
that stalker_core then runs with the rights of the user running it. Whoever can
write a studio or user configuration file, or set `STALKER_CONFIG` (which names
that file) or the variables below, can make stalker_core run any program or
Python code. Protect these files and variables like executables: on a shared
installation only administrators should be able to write the site file and the
folders it names. This list is generated from the `runs=` text of each
declaration."""


def _runs_rows() -> list[str]:
    rows = ["| setting or variable | what it runs |", "|---|---|"]
    rows += [f"| `{s.key}` | {_cell(s.runs)} |" for s in SETTINGS.values() if s.runs]
    rows += [f"| `{v.name}` | {_cell(v.runs)} |" for v in ENV_VARS if v.runs]
    return rows


_REPO_VARS = """\
## Repository path variables (`REPO<id>`, `REPO<code>`)

These are runtime state, not settings, so they have no entry above. Like
Stalker, a `Repository` *writes* `REPO<id>` and `REPO<code>` (its path on the
running operating system) into the process environment whenever it is
created, changed or loaded (and `db.setup()` writes them for every
repository). Stored paths such as `$REPO12/FC/SH001/comp` are then independent
of the operating system, expand with `os.path.expandvars`, and stay valid in
the applications a launcher starts from this process.

The write stays in `stalker_core/models/repository.py`, next to the database
events that trigger it: the variables follow the rows, not a configuration
file. The one read, expanding `$REPO<key>` for a repository that is not among
a project's loaded repositories, goes through
`stalker_core.config.repository_env(key)`. Setting such a variable by hand
(say on a render node without a database) works, but a repository loaded
later overwrites its own variables."""


def configuration_md() -> str:
    """``docs/configuration.md``: every setting, every environment variable, the defaults."""
    parts = [_INTRO]
    for section, settings in _by_section().items():
        rows = ["| key | `Config` attribute | value | default | meaning | environment |",
                "|---|---|---|---|---|---|"]
        rows += [_setting_rows(n, s) for n, s in SETTINGS.items() if s in settings]
        parts.append(f"### `[{section}]`\n\n{SECTIONS[section]}\n\n" + "\n".join(rows))
    parts.append(_ENV_INTRO + "\n\n" + "\n".join(_env_rows([v for v in ENV_VARS
                                                             if not v.for_tests])))
    parts.append("### For the test suite and the benchmarks\n\n"
                 "The test suite and the benchmarks are not part of the package; they read "
                 "the URLs themselves.\n\n"
                 + "\n".join(_env_rows([v for v in ENV_VARS if v.for_tests])))
    parts.append(_RUNS_INTRO + "\n\n" + "\n".join(_runs_rows()))
    parts.append(_REPO_VARS)
    parts.append("## The defaults file\n\n`config/stalker.toml`, as generated:\n\n"
                 f"```toml\n{defaults_toml()}```")
    return "\n\n".join(parts) + "\n"


#: path in a checkout -> the function generating its text
GENERATED: dict[str, Callable[[], str]] = {
    "config/stalker.toml": defaults_toml,
    "stalker_core/_defaults/stalker.toml": defaults_toml,
    "docs/configuration.md": configuration_md,
}


def checkout_root() -> Path:
    """The repository checkout this package was imported from.

    :raises ConfigError: when the package is not in a checkout (an installed wheel).
    """
    root = Path(__file__).resolve().parents[2]
    if not (root / "pyproject.toml").is_file() or not (root / "config").is_dir():
        raise ConfigError("stalker_core is not imported from a checkout; pass --root",
                          path=root)
    return root


def stale_files(root: Path) -> list[str]:
    """The generated files under ``root`` whose text differs from the declaration."""
    stale = []
    for rel, make in GENERATED.items():
        path = root / rel
        if not path.is_file() or path.read_text("utf-8") != make():
            stale.append(rel)
    return stale


def write_files(root: Path) -> list[Path]:
    """Write every generated file under ``root``; return the paths written."""
    written = []
    for rel, make in GENERATED.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(make(), encoding="utf-8")
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Command line of ``python -m stalker_core.config``; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m stalker_core.config",
        description="Write or check the files generated from the settings declaration.")
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", action="store_true", help="rewrite the generated files")
    action.add_argument("--check", action="store_true",
                        help="exit with status 1 when a generated file is stale")
    parser.add_argument("--root", type=Path, default=None,
                        help="the checkout (default: the one this package is in)")
    args = parser.parse_args(argv)
    root = args.root or checkout_root()
    if args.write:
        for path in write_files(root):
            print(f"wrote {path}")
        return 0
    stale = stale_files(root)
    for rel in stale:
        print(f"stale: {rel} (run python -m stalker_core.config --write)")
    return 1 if stale else 0
