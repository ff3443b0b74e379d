"""The add-on: registration, host detection, the panel and its operators through bpy.ops."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

bpy = pytest.importorskip("bpy", exc_type=ImportError)

import stalker_blender  # noqa: E402
from blender_project import build_character, build_production, plugin_manager  # noqa: E402
from stalker_blender import addon  # noqa: E402
from stalker_blender.adapter import BlenderHost  # noqa: E402
from stalker_blender.panel import STALKER_PT_context  # noqa: E402
from stalker_blender.plugin import running_in_blender, stalker_host_get  # noqa: E402
from stalker_blender.runtime import runtime  # noqa: E402
from stalker_blender.tracking import HANDLER_TAG  # noqa: E402

pytestmark = pytest.mark.blender

OPERATORS = (
    "save_as_version",
    "open_version",
    "publish",
    "repair",
    "update_references",
    "mark_export",
)


@pytest.fixture
def registered(fresh_blender: Any) -> Iterator[None]:
    stalker_blender.register()
    yield
    stalker_blender.unregister()
    runtime.configure()


@pytest.fixture
def pipeline(session: Any, tmp_path: Path, registered: None) -> Any:
    prod = build_production(session, tmp_path / "repo")
    runtime.configure(session=session, pm=plugin_manager())
    return prod


# -- registration -------------------------------------------------------------------------------


def test_register_and_unregister(fresh_blender: Any) -> None:
    assert not addon.is_registered()
    stalker_blender.register()
    try:
        assert addon.is_registered()
        assert hasattr(bpy.types, "STALKER_PT_context")
        for name in OPERATORS:
            assert hasattr(bpy.ops.stalker, name)
            assert getattr(bpy.ops.stalker, name).idname() == f"STALKER_OT_{name}"
        assert STALKER_PT_context.bl_space_type == "VIEW_3D"
        assert STALKER_PT_context.bl_region_type == "UI"
        stalker_blender.register()  # a second register is harmless
    finally:
        stalker_blender.unregister()
    assert not addon.is_registered()
    assert not hasattr(bpy.types, "STALKER_PT_context")
    assert not [h for h in bpy.app.handlers.load_post if getattr(h, HANDLER_TAG, None)]
    stalker_blender.unregister()  # and so is a second unregister
    BlenderHost()  # the host re-installs the tracker's handlers
    assert [h for h in bpy.app.handlers.load_post if getattr(h, HANDLER_TAG, None)]


def test_importing_the_package_does_not_import_bpy() -> None:
    import subprocess

    code = "import stalker_blender, stalker_blender.plugin, sys; print('bpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_bl_info_and_manifest_agree() -> None:
    import tomllib

    manifest = tomllib.loads(
        (Path(stalker_blender.__file__).parent / "blender_manifest.toml").read_text()
    )
    assert manifest["id"] == "stalker_blender"
    assert manifest["type"] == "add-on"
    assert manifest["version"] == stalker_blender.__version__
    assert (
        tuple(int(p) for p in manifest["version"].split(".")) == stalker_blender.bl_info["version"]
    )
    assert manifest["blender_version_min"] == ".".join(map(str, stalker_blender.bl_info["blender"]))


# -- host detection ------------------------------------------------------------------------------


def test_host_detection_in_module_mode(fresh_blender: Any) -> None:
    assert bpy.app.binary_path == ""  # module mode: not the Blender application
    assert running_in_blender() is False
    assert stalker_host_get(context=None) is None
    stalker_blender.register()
    try:
        assert running_in_blender() is True
        assert isinstance(stalker_host_get(context=None), BlenderHost)
    finally:
        stalker_blender.unregister()
    assert stalker_host_get(context=None) is None


def test_host_detection_inside_the_application(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_bpy = SimpleNamespace(
        app=SimpleNamespace(binary_path="/opt/blender/blender"), types=SimpleNamespace()
    )
    monkeypatch.setitem(sys.modules, "bpy", fake_bpy)
    assert running_in_blender() is True
    monkeypatch.delitem(sys.modules, "bpy")
    assert running_in_blender() is False


def test_the_add_on_runs_its_own_copy_as_the_blender_plugin() -> None:
    import types

    from stalker_blender import plugin
    from stalker_blender.runtime import PLUGIN_NAME, use_own_plugin

    from stalker_core.plugins import get_plugin_manager

    pm = get_plugin_manager({}, load_entrypoints=False, use_env=False)
    another_copy = types.ModuleType("bl_ext.elsewhere.stalker_blender.plugin")
    pm.register(another_copy, name=PLUGIN_NAME)
    use_own_plugin(pm)
    assert pm.get_plugin(PLUGIN_NAME) is plugin and not pm.is_registered(another_copy)
    assert "stalker_blender" in pm.sources[PLUGIN_NAME]
    use_own_plugin(pm)  # once is enough
    assert [p for p in pm.get_plugins() if p is plugin] == [plugin]
    # registered under another name (the tests' plugin manager): moved, not doubled
    pm = plugin_manager()
    use_own_plugin(pm)
    assert pm.get_plugin(PLUGIN_NAME) is plugin
    assert pm.get_name(plugin) == PLUGIN_NAME
    # a studio that blocks the plugin means it
    pm = get_plugin_manager({}, load_entrypoints=False, use_env=False, blocked=[PLUGIN_NAME])
    use_own_plugin(pm)
    assert pm.get_plugin(PLUGIN_NAME) is None and not pm.is_registered(plugin)


def test_get_host_through_the_plugin_manager(registered: None) -> None:
    from stalker_core.workflows import get_host

    host = get_host(plugin_manager())
    assert isinstance(host, BlenderHost)


# -- the panel -----------------------------------------------------------------------------------


class RecordingLayout:
    """Stands in for ``UILayout`` (panels cannot draw in background mode)."""

    def __init__(self, log: list[str]) -> None:
        self.log = log

    def column(self, **_kw: Any) -> RecordingLayout:
        return self

    box = column

    def label(self, text: str = "", **_kw: Any) -> None:
        self.log.append(text)

    def operator(self, idname: str, **_kw: Any) -> None:
        self.log.append(f"[{idname}]")


def draw_panel() -> list[str]:
    log: list[str] = []
    STALKER_PT_context.draw(SimpleNamespace(layout=RecordingLayout(log)), bpy.context)
    return log


def test_panel_shows_context_and_buttons(pipeline: Any) -> None:
    lines = draw_panel()
    assert "Scene not saved as a version" in lines
    assert [line for line in lines if line.startswith("[")] == [
        "[stalker.save_as_version]",
        "[stalker.open_version]",
        "[stalker.publish]",
        "[stalker.update_references]",
        "[stalker.mark_export]",
    ]
    build_character()
    bpy.ops.stalker.save_as_version(task_id=pipeline.model.id, description="first")
    lines = draw_panel()
    assert f"Project: {pipeline.project.code}" in lines
    assert f"Task: {pipeline.model.parent.name} / model" in lines
    assert "Version: Main v001" in lines


# -- operators -------------------------------------------------------------------------------------


def test_save_as_version_operator(pipeline: Any) -> None:
    from stalker_core.models import Version

    build_character()
    assert bpy.ops.stalker.save_as_version(task_id=pipeline.model.id, description="d") == {
        "FINISHED"
    }
    version = runtime.scene_version()
    assert isinstance(version, Version) and version.description == "d"
    assert Path(bpy.data.filepath) == Path(version.absolute_full_path)
    # the task now comes from the scene; the take from its version
    bpy.ops.mesh.primitive_cube_add()
    bpy.ops.stalker.save_as_version()
    assert runtime.scene_version().version_number == 2
    assert runtime.scene_version().task == pipeline.model


def test_save_as_version_operator_reports_errors(pipeline: Any) -> None:
    with pytest.raises(RuntimeError, match="belongs to no task"):
        bpy.ops.stalker.save_as_version()
    with pytest.raises(RuntimeError, match="no task with id 999999"):
        bpy.ops.stalker.save_as_version(task_id=999999)


def test_open_version_operator(pipeline: Any) -> None:
    build_character()
    bpy.ops.stalker.save_as_version(task_id=pipeline.model.id)
    first = runtime.scene_version()
    bpy.ops.mesh.primitive_cube_add()
    bpy.ops.stalker.save_as_version()
    bpy.ops.mesh.primitive_cube_add()  # unsaved edit
    with pytest.raises(RuntimeError, match="unsaved changes"):
        bpy.ops.stalker.open_version(version_id=first.id)
    assert bpy.ops.stalker.open_version(version_id=first.id, force=True) == {"FINISHED"}
    assert Path(bpy.data.filepath) == Path(first.absolute_full_path)
    assert runtime.scene_version() == first
    with pytest.raises(RuntimeError, match="no version with id 999999"):
        bpy.ops.stalker.open_version(version_id=999999)


def test_open_version_lists_the_tasks_versions(pipeline: Any) -> None:
    from stalker_blender.operators import _version_items

    assert _version_items(None, None) == [("0", "No versions", "The scene's task has no versions")]
    build_character()
    bpy.ops.stalker.save_as_version(task_id=pipeline.model.id, description="one")
    bpy.ops.stalker.save_as_version(description="two")
    labels = [label for _id, label, _d in _version_items(None, None)]
    assert labels == ["Main v002", "Main v001"]
    first_id = int(_version_items(None, None)[1][0])
    assert bpy.ops.stalker.open_version(version=str(first_id)) == {"FINISHED"}
    assert runtime.scene_version().version_number == 1


def test_publish_and_repair_operators(pipeline: Any) -> None:
    with pytest.raises(RuntimeError, match="not a saved version"):
        bpy.ops.stalker.publish()
    bpy.context.scene.render.fps = 25  # the project's rate
    bpy.ops.stalker.save_as_version(task_id=pipeline.layout.id)
    with pytest.raises(RuntimeError, match="Frame range"):
        bpy.ops.stalker.publish()
    assert any(r.title == "Frame range" for r in runtime.last_results)
    assert "[stalker.repair]" in draw_panel()
    assert bpy.ops.stalker.repair() == {"FINISHED"}
    assert BlenderHost().get_frame_range() == (1001, 1048)
    bpy.ops.stalker.save_as_version()
    assert bpy.ops.stalker.publish() == {"FINISHED"}
    assert runtime.scene_version().is_published
    assert "Version: Main v002 (published)" in draw_panel()


def test_loading_a_file_drops_what_described_the_old_scene(pipeline: Any, tmp_path: Path) -> None:
    bpy.context.scene.render.fps = 25
    bpy.ops.stalker.save_as_version(task_id=pipeline.layout.id)
    with pytest.raises(RuntimeError):
        bpy.ops.stalker.publish()
    assert runtime.last_results and "Task: SH010 / layout" in draw_panel()
    BlenderHost().new_file()  # any file load (open, new, revert) resets
    assert runtime.last_results == []
    lines = draw_panel()
    assert "Task: -" in lines and "[stalker.repair]" not in lines


def test_update_references_operator(pipeline: Any) -> None:
    from stalker_core.workflows import publish

    session, pm = runtime.session(), runtime.plugin_manager()
    host = BlenderHost()
    build_character(x=1.0)
    bpy.ops.stalker.save_as_version(task_id=pipeline.model.id)
    v1 = runtime.scene_version()
    publish(host, v1, session=session, pm=pm)
    bpy.data.objects["hero_body"].location.x = 9.0
    bpy.context.view_layer.update()
    bpy.ops.stalker.save_as_version()
    publish(host, runtime.scene_version(), session=session, pm=pm)

    host.new_file()
    host.load_reference(Path(v1.absolute_full_path), version_id=v1.id)
    assert bpy.ops.stalker.update_references() == {"FINISHED"}
    assert bpy.data.objects["hero_body"].location.x == 9.0
    assert bpy.ops.stalker.update_references() == {"FINISHED"}  # nothing left to do


def test_mark_export_operator(registered: None) -> None:
    from stalker_blender.publish import EXPORT_KEY

    build_character("hero")
    assert bpy.ops.stalker.mark_export(collection="hero", format="usd") == {"FINISHED"}
    assert bpy.data.collections["hero"][EXPORT_KEY] == "usd"
    assert "Exports hero as usd" in draw_panel()
    assert BlenderHost().has_unsaved_changes() is True
    bpy.ops.stalker.mark_export(collection="hero", format="NONE")
    assert EXPORT_KEY not in bpy.data.collections["hero"]
    with pytest.raises(RuntimeError, match="No local collection 'nope'"):
        bpy.ops.stalker.mark_export(collection="nope")
    # without a name: the active collection (here the master collection: refused)
    with pytest.raises(RuntimeError, match="master collection"):
        bpy.ops.stalker.mark_export()


def test_task_from_the_launcher_environment(pipeline: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STALKER_TASK_ID", str(pipeline.layout.id))
    runtime.invalidate()
    assert "Task: SH010 / layout" in draw_panel()
    bpy.context.scene.render.fps = 25
    bpy.ops.stalker.save_as_version(description="from the launcher")
    assert runtime.scene_version().task == pipeline.layout
    monkeypatch.setenv("STALKER_TASK_ID", "not-a-number")
    BlenderHost().new_file()
    assert "Task: -" in draw_panel()  # the panel still draws; the problem is shown
    assert any("STALKER_TASK_ID" in line for line in draw_panel())
