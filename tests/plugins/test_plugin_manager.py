"""get_plugin_manager: built-ins, entry points one at a time, STALKER_PLUGINS, blocking, strict."""

from __future__ import annotations

import inspect
import textwrap
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any

import pluggy
import pytest

from stalker_core.exceptions import PluginError, VetoError
from stalker_core.plugins import (
    DEFAULT_PLUGINS,
    call_each,
    describe_plugins,
    get_plugin_manager,
    hookimpl,
    hookspecs,
)
from stalker_core.plugins import manager as manager_module

GOOD = """
from stalker_core.plugins.api import hookimpl

@hookimpl
def stalker_workfile_after_save(version):
    return None
"""

BROKEN = "raise ImportError('needs maya.cmds')\n"

TYPO = """
from stalker_core.plugins.api import hookimpl

@hookimpl
def stalker_workfile_after_sav(version):
    return None
"""


@pytest.fixture
def modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, src in {"plug_good": GOOD, "plug_broken": BROKEN, "plug_typo": TYPO,
                      "plug_other": GOOD}.items():
        (tmp_path / f"{name}.py").write_text(textwrap.dedent(src))
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def fake_entry_points(monkeypatch: pytest.MonkeyPatch, **names: str) -> None:
    eps = [EntryPoint(name=n, value=v, group="stalker_core") for n, v in sorted(names.items())]
    monkeypatch.setattr(manager_module, "_entry_points", lambda: eps)


def test_is_a_function_with_fresh_managers() -> None:
    a = get_plugin_manager({}, load_entrypoints=False, use_env=False)
    b = get_plugin_manager({}, load_entrypoints=False, use_env=False)
    assert a is not b and a.project_name == "stalker_core"
    assert a.has_plugin("stalker_core.workflows.builtin")
    assert a.sources[DEFAULT_PLUGINS[0]] == "built-in"


def test_builtins_can_be_blocked() -> None:
    pm = get_plugin_manager({}, blocked=["stalker_core.workflows.builtin"],
                            load_entrypoints=False, use_env=False)
    assert not pm.has_plugin("stalker_core.workflows.builtin")
    pm = get_plugin_manager({"plugins": {"blocked": ["stalker_core.workflows.builtin"]}},
                            load_entrypoints=False, use_env=False)
    assert not pm.has_plugin("stalker_core.workflows.builtin")


def test_the_default_plugins_earlier_name_still_blocks_it() -> None:
    """A studio's blocked list written when the plugin was stalker_core.plugins.builtin."""
    pm = get_plugin_manager({}, blocked=["stalker_core.plugins.builtin"],
                            load_entrypoints=False, use_env=False)
    assert not pm.has_plugin("stalker_core.workflows.builtin")


def test_broken_entry_point_reported_others_load(
    modules: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_entry_points(monkeypatch, a_broken="plug_broken", b_good="plug_good")
    pm = get_plugin_manager({}, use_env=False)
    assert pm.has_plugin("b_good")
    assert [e.name for e in pm.load_errors] == ["a_broken"]
    text = str(pm.load_errors[0])
    assert "plugin 'a_broken'" in text and "needs maya.cmds" in text
    assert pm.sources["b_good"].startswith("entry point b_good = plug_good")


def test_strict_fails_on_broken_plugin(modules: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_entry_points(monkeypatch, a_broken="plug_broken", b_good="plug_good")
    with pytest.raises(PluginError, match="plugin 'a_broken' .* failed to load: ImportError"):
        get_plugin_manager({}, strict=True, use_env=False)
    monkeypatch.setenv("STALKER_PLUGINS_STRICT", "1")
    with pytest.raises(PluginError, match="a_broken"):
        get_plugin_manager({})
    monkeypatch.delenv("STALKER_PLUGINS_STRICT")

    class Cfg:
        plugins_strict = True
        plugins_blocked: list[str] = []

    with pytest.raises(PluginError, match="a_broken"):
        get_plugin_manager(Cfg(), use_env=False)


def test_blocked_entry_point_not_loaded(modules: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_entry_points(monkeypatch, a_broken="plug_broken", b_good="plug_good")
    pm = get_plugin_manager({}, blocked=["a_broken"], strict=True, use_env=False)
    assert pm.load_errors == [] and pm.has_plugin("b_good")

    class Cfg:
        plugins_blocked = ["a_broken", "b_good"]
        plugins_strict = False

    pm = get_plugin_manager(Cfg(), use_env=False)
    assert not pm.has_plugin("b_good") and pm.load_errors == []
    monkeypatch.setenv("STALKER_DISABLE_PLUGINS", "a_broken, b_good")
    pm = get_plugin_manager({})
    assert not pm.has_plugin("b_good") and pm.load_errors == []


def test_autoload_can_be_disabled(modules: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_entry_points(monkeypatch, b_good="plug_good")
    monkeypatch.setenv("STALKER_DISABLE_PLUGIN_AUTOLOAD", "1")
    assert not get_plugin_manager({}).has_plugin("b_good")
    assert not get_plugin_manager({"plugins": {"autoload": False}}, use_env=False).has_plugin(
        "b_good"
    )


def test_stalker_plugins_env(modules: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_entry_points(monkeypatch)
    monkeypatch.setenv("STALKER_PLUGINS", "plug_good,plug_other, plug_missing")
    pm = get_plugin_manager({})
    assert pm.has_plugin("plug_good") and pm.has_plugin("plug_other")
    assert pm.sources["plug_good"] == "STALKER_PLUGINS"
    assert [e.name for e in pm.load_errors] == ["plug_missing"]


def test_misspelled_hook_is_a_load_error_or_fails_in_strict_mode(
    modules: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_entry_points(monkeypatch, typo="plug_typo")
    pm = get_plugin_manager({}, use_env=False)
    assert not pm.has_plugin("typo")
    (error,) = pm.load_errors
    assert str(error).count("'typo'") == 1
    assert "unknown hook 'stalker_workfile_after_sav'" in str(error)
    assert "did you mean 'stalker_workfile_after_save'?" in str(error)
    with pytest.raises(PluginError, match=r"unknown hook .* \(did you mean"):
        get_plugin_manager({}, use_env=False, strict=True)


def test_configure_hook_is_historic() -> None:
    seen = []

    class Late:
        @hookimpl
        def stalker_plugins_configure(self, config: Any) -> None:
            seen.append(config)

    cfg = {"studio": "x"}
    pm = get_plugin_manager(cfg, load_entrypoints=False, use_env=False)
    pm.register(Late())
    assert seen == [cfg]


def test_call_each_attributes_results_and_errors() -> None:
    class A:
        @hookimpl
        def stalker_workfile_after_open(self) -> list[str]:
            return ["a"]

    class B:
        @hookimpl(tryfirst=True)
        def stalker_workfile_after_open(self, path: Any) -> list[str]:
            return [f"b:{path}"]

    class Bad:
        @hookimpl(trylast=True)
        def stalker_workfile_after_open(self) -> None:
            raise KeyError("oops")

    class Veto:
        @hookimpl
        def stalker_workfile_before_open(self) -> None:
            raise VetoError("no")

    pm = get_plugin_manager({}, builtins=(), load_entrypoints=False, use_env=False)
    pm.register(A(), name="a")
    pm.register(B(), name="b")
    kwargs = dict(host=None, context=None, version=None, path="p")
    assert call_each(pm, "stalker_workfile_after_open", **kwargs) == [("b", ["b:p"]), ("a", ["a"])]
    pm.register(Bad(), name="bad")
    with pytest.raises(PluginError, match="plugin 'bad' raised in stalker_workfile_after_open: "
                       "KeyError: 'oops'"):
        call_each(pm, "stalker_workfile_after_open", **kwargs)
    pm.register(Veto(), name="veto")
    with pytest.raises(VetoError) as info:
        call_each(pm, "stalker_workfile_before_open", **kwargs)
    assert info.value.plugin == "veto"  # type: ignore[attr-defined]


def test_host_selection_standalone_answers_last() -> None:
    import stalker_standalone.plugin
    from stalker_standalone import StandaloneHost

    from stalker_core.testing.fake_host import FakeHost
    from stalker_core.workflows import get_host

    pm = get_plugin_manager({}, load_entrypoints=False, use_env=False,
                            plugins=[stalker_standalone.plugin])
    assert isinstance(get_host(pm), StandaloneHost)

    class InApp:
        def __init__(self, running: bool) -> None:
            self.running = running

        @hookimpl
        def stalker_host_get(self) -> Any:
            return FakeHost(name="app") if self.running else None

    pm.register(InApp(running=False), name="not_running")
    assert isinstance(get_host(pm), StandaloneHost)
    pm.register(InApp(running=True), name="running")
    assert get_host(pm).name == "app"


def test_no_host_is_a_clear_error() -> None:
    from stalker_core.exceptions import HostNotAvailableError
    from stalker_core.workflows import get_host

    pm = get_plugin_manager({}, load_entrypoints=False, use_env=False)
    with pytest.raises(HostNotAvailableError, match="no host plugin answered"):
        get_host(pm)


def test_describe_plugins_lists_hooks_and_sources() -> None:
    import stalker_publish.plugin

    pm = get_plugin_manager({}, load_entrypoints=False, use_env=False,
                            plugins=[stalker_publish.plugin])
    rows = {r["name"]: r for r in describe_plugins(pm)}
    assert sorted(rows["stalker_core.workflows.builtin"]["hooks"]) == [
        "stalker_ui_actions", "stalker_ui_panels", "stalker_workfile_after_open"]
    assert rows["stalker_publish.plugin"]["source"] == "registered by the caller"
    assert "stalker_publish_validate" in rows["stalker_publish.plugin"]["hooks"]


def test_installed_entry_points_load() -> None:
    """The real entry points of this distribution: standalone and publish load."""
    pm = get_plugin_manager({}, use_env=False)
    assert pm.has_plugin("standalone") and pm.has_plugin("publish")
    assert "entry point standalone = stalker_standalone.plugin" in pm.sources["standalone"]


# --- the hookspecs themselves -------------------------------------------------------------------

SPECS = [
    (name, fn) for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
    if name.startswith("stalker_")
]


def test_hookspec_names_and_docs() -> None:
    assert len(SPECS) >= 12
    for name, fn in SPECS:
        parts = name.split("_")
        assert parts[0] == "stalker" and len(parts) >= 3, name
        doc = inspect.getdoc(fn) or ""
        assert "Called" in doc, f"{name}: say when it is called"
        assert ":returns:" in doc, f"{name}: state the return contract"
        for arg in inspect.signature(fn).parameters:
            assert f":param {arg}:" in doc, f"{name}: document {arg}"
        opts = getattr(fn, "stalker_core_spec", {})
        if opts.get("firstresult"):
            assert "Stops at first non-None result" in doc, name


def test_every_hookspec_documented_in_docs() -> None:
    docs = Path(__file__).resolve().parents[2] / "docs"
    text = "".join(p.read_text() for p in docs.glob("hooks.*"))
    missing = [name for name, _ in SPECS if name not in text]
    assert missing == [], f"document these hooks in docs/hooks.md: {missing}"


def test_docs_say_per_hook_whether_it_accepts_wrappers() -> None:
    """As pytest's docs do; historic hooks take none, every other hook does."""
    docs = Path(__file__).resolve().parents[2] / "docs" / "hooks.md"
    sections = docs.read_text().split("\n### `")
    for name, fn in SPECS:
        section = next((s for s in sections if s.startswith(f"{name}(")), "")
        line = next((ln for ln in section.splitlines() if ln.startswith("*Wrappers:*")), "")
        historic = getattr(fn, "stalker_core_spec", {}).get("historic", False)
        expected = "*Wrappers:* not accepted" if historic else "*Wrappers:* accepted"
        assert line.startswith(expected), f"{name}: docs/hooks.md should say {expected!r}"


def test_pluggy_marker_project() -> None:
    assert isinstance(hookimpl, pluggy.HookimplMarker)
    assert hookimpl.project_name == "stalker_core"


def test_plugin_layer_imports_stay_cheap() -> None:
    """A DCC imports these at start-up: no SQLAlchemy, no models, no Qt, no bpy."""
    import subprocess
    import sys

    code = (
        "import sys, stalker_core.plugins, stalker_core.hosts, stalker_core.testing\n"
        "import stalker_core.plugins.hookspecs, stalker_standalone.plugin\n"
        "heavy = [m for m in ('sqlalchemy', 'stalker_core.models', 'bpy', 'PySide6', 'Qt')"
        " if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


# --- the configuration files -------------------------------------------------------------------


@pytest.fixture
def studio_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Write the studio configuration file (``STALKER_CONFIG``); the cache is reset around."""
    from stalker_core import config

    path = tmp_path / "studio.toml"
    monkeypatch.setenv("STALKER_CONFIG", str(path))
    config.reset()
    yield path
    config.reset()


def test_a_bad_configuration_file_is_an_error_not_skipped(studio_file: Path) -> None:
    """A typo elsewhere in the file must not drop its ``blocked`` list (publish would load)."""
    from stalker_core.exceptions import ConfigError

    studio_file.write_text('[plugins]\nblocked = ["publish"]\n\n[schedule]\ntj3_comand = "x"\n')
    with pytest.raises(ConfigError) as caught:
        get_plugin_manager()
    assert caught.value.path == studio_file
    assert caught.value.key == "schedule.tj3_comand"
    assert "tj3_command" in str(caught.value)  # did you mean


def test_a_good_configuration_file_blocks_its_plugins(studio_file: Path) -> None:
    studio_file.write_text('[plugins]\nblocked = ["publish"]\n')
    pm = get_plugin_manager()
    assert not pm.has_plugin("publish")
    assert pm.has_plugin("standalone")
