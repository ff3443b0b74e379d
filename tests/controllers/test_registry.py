"""The panels and UI actions offered through stalker_ui_panels and stalker_ui_actions."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from stalker_core.controllers.registry import panel_spec, panel_specs, ui_actions
from stalker_core.exceptions import PluginError
from stalker_core.plugins import get_plugin_manager
from stalker_core.plugins.api import PanelSpec, UIAction, hookimpl
from stalker_core.testing import FakeHost


def _pm(*plugins: object) -> object:
    return get_plugin_manager({}, load_entrypoints=False, use_env=False, plugins=plugins)


def _plugin(name: str, **hooks: object) -> types.SimpleNamespace:
    ns = types.ModuleType(name)
    for hook, func in hooks.items():
        setattr(ns, hook, hookimpl(func))
    return ns


def test_builtin_panels_in_menu_order() -> None:
    names = [s.name for s in panel_specs(_pm())]
    assert names == ["workfiles", "publish", "loader", "inventory"]
    assert all(s.plugin == "stalker_core.workflows.builtin" for s in panel_specs(_pm()))


def test_plugin_panel_is_listed_by_order() -> None:
    extra = _plugin("studio_review", stalker_ui_panels=lambda: [
        PanelSpec("review", "Review", "studio.review:Panel", order=15)])
    names = [s.name for s in panel_specs(_pm(extra))]
    assert names == ["workfiles", "review", "publish", "loader", "inventory"]
    assert panel_spec("review", _pm(extra)).plugin == "studio_review"


def test_duplicate_panel_name_names_both_plugins() -> None:
    twin = _plugin("twin", stalker_ui_panels=lambda: [
        PanelSpec("loader", "My Loader", "x.y:Z")])
    with pytest.raises(PluginError, match="'loader' is offered by both"):
        panel_specs(_pm(twin))


def test_unknown_panel_lists_the_known_ones() -> None:
    with pytest.raises(PluginError, match="no panel is called 'nope'.*workfiles, publish"):
        panel_spec("nope", _pm())


def test_bad_answer_is_a_plugin_error() -> None:
    bad = _plugin("bad", stalker_ui_panels=lambda: ["workfiles"])
    with pytest.raises(PluginError, match="'bad'.*expected a list of PanelSpec"):
        panel_specs(_pm(bad))


@pytest.mark.parametrize("name", ["Work Files", "", "a-b", "UPPER"])
def test_panel_name_is_checked(name: str) -> None:
    with pytest.raises(ValueError, match="lower-case"):
        PanelSpec(name, "T", "m:f")


def test_panel_view_is_a_dotted_path() -> None:
    with pytest.raises(ValueError, match="'package.module:callable'"):
        PanelSpec("x", "X", "module.without.callable")


def test_reference_action_only_for_reference_hosts(tmp_path: Path) -> None:
    pm = _pm()
    with_refs = FakeHost()
    without = FakeHost(capabilities=set())
    assert [a.name for a in ui_actions(with_refs, "loader", pm)] == ["core.reference"]
    assert ui_actions(without, "loader", pm) == []
    assert ui_actions(with_refs, "menu", pm) == []


def test_reference_action_records_the_version_id(tmp_path: Path) -> None:
    host = FakeHost()
    action = ui_actions(host, "loader", _pm())[0]
    source = tmp_path / "asset_v001.ma"
    source.write_text("published")
    container = action.run(host=host, version=types.SimpleNamespace(id=42), path=source)
    assert container.version_id == 42
    assert [c.version_id for c in host.list_references()] == [42]


def test_actions_of_other_locations_are_dropped_and_sorted() -> None:
    def actions(host: object, location: str) -> list[UIAction]:
        return [
            UIAction("s.b", "B", "loader", print, order=5),
            UIAction("s.menu", "M", "menu", print),
        ]

    pm = _pm(_plugin("s", stalker_ui_actions=actions))
    host = FakeHost(capabilities=set())
    assert [a.name for a in ui_actions(host, "loader", pm)] == ["s.b"]
    with pytest.raises(ValueError, match="location should be one of"):
        ui_actions(host, "toolbar", pm)


def test_action_extensions_filter_files() -> None:
    action = UIAction("n.read", "Read", "loader", print, extensions=(".EXR", ".mov"))
    assert action.accepts("/a/b.exr") and action.accepts("c.MOV")
    assert not action.accepts("d.nk")
    with pytest.raises(ValueError, match="location"):
        UIAction("x", "X", "toolbar", print)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="callable"):
        UIAction("x", "X", "menu", "not callable")  # type: ignore[arg-type]
