"""Environment variables: declared once in stalker_core.config and read only through it."""

from __future__ import annotations

import ast
import re
import textwrap
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from stalker_core import config
from stalker_core.context import TASK_ENV_VAR
from stalker_core.exceptions import ConfigError
from stalker_core.plugins import get_plugin_manager
from stalker_core.plugins import manager as manager_module

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "stalker_core", ROOT / "hosts", ROOT / "plugins"]
CONFIG_PACKAGE = ROOT / "stalker_core" / "config"


#: start-up scripts that run before stalker_core is importable, to put it on the path
BOOTSTRAP_SCRIPTS = {
    ROOT / "hosts/stalker_blender/blender_scripts/startup/stalker_launcher_startup.py",
    ROOT / "hosts/stalker_krita/xdg_data/krita/pykrita/stalker_krita_plugin/__init__.py",
}


def _python_files() -> list[Path]:
    return sorted(p for d in SOURCES for p in d.rglob("*.py")
                  if CONFIG_PACKAGE not in p.parents and p not in BOOTSTRAP_SCRIPTS)


def _environ_reads(tree: ast.AST) -> list[int]:
    """Lines reading the environment: ``os.environ`` not being assigned to, ``os.getenv``."""
    stores = {
        id(node.value) for node in ast.walk(tree)
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store | ast.Del)
    }
    lines = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id == "os" and node.attr in {"environ", "getenv", "environb"}
                and id(node) not in stores):
            lines.append(node.lineno)
        if isinstance(node, ast.ImportFrom) and node.module == "os" and any(
                a.name in {"environ", "getenv", "environb"} for a in node.names):
            lines.append(node.lineno)
    return sorted(lines)


def test_only_the_config_package_reads_the_environment() -> None:
    offenders = []
    for path in _python_files():
        tree = ast.parse(path.read_text("utf-8"), str(path))
        offenders += [f"{path.relative_to(ROOT)}:{n}" for n in _environ_reads(tree)]
    assert offenders == [], (
        "read environment variables through stalker_core.config (declare them in "
        f"ENV_VARS, then env_value/env_flag/env_names/environment): {offenders}"
    )


def test_the_scan_sees_reads_and_allows_writes() -> None:
    code = textwrap.dedent("""
        import os
        from os import getenv
        os.environ["REPO1"] = "/mnt"
        del os.environ["REPO1"]
        a = os.environ.get("X")
        b = os.getenv("Y")
        c = dict(os.environ)
    """)
    assert _environ_reads(ast.parse(code)) == [3, 6, 7, 8]


def test_every_variable_named_in_the_code_is_declared() -> None:
    declared = {v.name for v in config.ENV_VARS}
    named: set[str] = set()
    for path in _python_files() + [CONFIG_PACKAGE / "__init__.py"]:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and re.fullmatch(r"STALKER_[A-Z0-9_]+", node.value):
                named.add(node.value)
    assert named <= declared, named - declared
    manager_vars = {v for k, v in vars(manager_module).items() if k.startswith("ENV_")}
    assert manager_vars | {TASK_ENV_VAR} <= declared


def test_the_readme_lists_only_declared_variables() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert set(re.findall(r"`(STALKER_[A-Z0-9_]+)", readme)) <= {v.name for v in config.ENV_VARS}


def test_accessors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STALKER_PG_BIN", "  /opt/pg/bin \n")
    monkeypatch.setenv("STALKER_DEBUG", "Yes")
    monkeypatch.setenv("STALKER_PLUGINS", " a, ,b ,")
    monkeypatch.setenv("STALKER_PLUGINS_STRICT", "0")
    monkeypatch.setenv("STALKER_TASK_ID", "   ")
    monkeypatch.setenv("NOT_OURS", "x")
    assert config.env_value("STALKER_PG_BIN") == "/opt/pg/bin"
    assert config.env_value("STALKER_TASK_ID") is None  # blank is unset
    assert config.env_flag("STALKER_DEBUG") is True
    assert config.env_flag("STALKER_PLUGINS_STRICT") is False
    assert config.env_names("STALKER_PLUGINS") == ["a", "b"]
    env = config.environment()
    assert env["STALKER_PLUGINS"] == " a, ,b ," and "NOT_OURS" not in env
    monkeypatch.delenv("STALKER_DEBUG")
    assert config.env_flag("STALKER_DEBUG") is False
    assert "STALKER_DEBUG" not in config.environment()


def test_an_undeclared_variable_cannot_be_read() -> None:
    with pytest.raises(ConfigError, match="'STALKER_NOPE' is not declared.*ENV_VARS"):
        config.env_value("STALKER_NOPE")


def test_repository_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPO42", "/mnt/projects")
    monkeypatch.delenv("REPOXX", raising=False)
    assert config.repository_env(42) == "/mnt/projects"
    assert config.repository_env("42") == "/mnt/projects"
    assert config.repository_env("XX") is None


# -- [plugins] autoload through the plugin manager ------------------------------------


@pytest.fixture
def plugin_modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = "from stalker_core.plugins import hookimpl\n\n@hookimpl\n" \
           "def stalker_workfile_after_save(version):\n    return None\n"
    for name in ("cfg_ep_plugin", "cfg_env_plugin"):
        (tmp_path / f"{name}.py").write_text(body, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    eps = [EntryPoint(name="from_ep", value="cfg_ep_plugin", group="stalker_core")]
    monkeypatch.setattr(manager_module, "_entry_points", lambda: eps)
    monkeypatch.setenv("STALKER_PLUGINS", "cfg_env_plugin")
    monkeypatch.delenv("STALKER_DISABLE_PLUGIN_AUTOLOAD", raising=False)


@pytest.mark.parametrize("autoload", [True, False])
@pytest.mark.usefixtures("plugin_modules")
def test_autoload_setting_decides_entry_points_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, autoload: bool
) -> None:
    studio = tmp_path / "studio.toml"
    studio.write_text(f"[plugins]\nautoload = {str(autoload).lower()}\n", encoding="utf-8")
    monkeypatch.setenv("STALKER_CONFIG", str(studio))

    class Registered:
        __name__ = "registered_in_code"

    pm = get_plugin_manager(plugins=[Registered()])  # the configuration of the process
    assert pm.has_plugin("from_ep") is autoload
    assert pm.has_plugin("cfg_env_plugin")  # STALKER_PLUGINS still loads
    assert pm.has_plugin("registered_in_code")
    assert pm.has_plugin("stalker_core.workflows.builtin")


@pytest.mark.usefixtures("plugin_modules")
def test_the_environment_still_disables_autoload(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STALKER_DISABLE_PLUGIN_AUTOLOAD", "1")
    assert config.get_config().plugins_autoload is True
    assert not get_plugin_manager().has_plugin("from_ep")
