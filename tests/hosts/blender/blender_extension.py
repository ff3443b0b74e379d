"""Build the add-on as a Blender extension and install it the way Blender 4.2+ does.

The parent side (:func:`build_extension_zip`, :func:`run_blender_python`) runs
in the test process; :func:`publish_through_extension` runs in a child Python
whose Blender user folder is a temporary one (``BLENDER_USER_RESOURCES``), so
installing and enabling the extension never touches the test process's
Blender state (its preferences, handlers and registered classes).
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

#: the repository Blender installs user extensions into, and the module name it gives ours
REPOSITORY = "user_default"
EXTENSION_MODULE = f"bl_ext.{REPOSITORY}.stalker_blender"
HERE = Path(__file__).parent


def package_dir() -> Path:
    """The ``stalker_blender`` source folder (what the extension is built from)."""
    import stalker_blender

    return Path(stalker_blender.__file__).parent


def blender_ext_tool() -> Path:
    """Blender's extension command line tool (``blender --command extension``)."""
    import bpy

    for root in bpy.utils.script_paths():
        tool = Path(root) / "addons_core" / "bl_pkg" / "cli" / "blender_ext.py"
        if tool.is_file():
            return tool
    pytest.skip("Blender's extension tool (bl_pkg) is not part of this bpy build")


def run(args: list[str], **kw: Any) -> subprocess.CompletedProcess[str]:
    """Run a command, capturing its text output (5 minutes at most)."""
    return subprocess.run(args, capture_output=True, text=True, timeout=300, **kw)  # type: ignore[call-overload, no-any-return]


def build_extension_zip(dist: Path) -> Path:
    """Build the extension zip of the add-on into ``dist`` with Blender's own tool."""
    dist.mkdir(parents=True, exist_ok=True)
    built = run(
        [
            sys.executable,
            str(blender_ext_tool()),
            "build",
            "--source-dir",
            str(package_dir()),
            "--output-dir",
            str(dist),
        ]
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (zip_path,) = dist.glob("*.zip")
    return zip_path


def blender_env(resources: Path) -> dict[str, str]:
    """The child's environment: a private Blender user folder, this folder importable.

    ``STALKER_*`` settings of the calling environment are dropped and the
    configuration folders point into ``resources``, so the child's plugin
    manager sees the installed entry points and nothing of the machine's setup.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("STALKER_")}
    env["BLENDER_USER_RESOURCES"] = str(resources)
    env["XDG_CONFIG_HOME"] = str(resources / "config")
    env["XDG_CONFIG_DIRS"] = str(resources / "site_config")
    env["XDG_DATA_HOME"] = str(resources / "data")
    env["PYTHONPATH"] = os.pathsep.join(
        [str(HERE), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    )
    return env


def run_blender_python(code: str, *args: str, resources: Path) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a child Python (with ``bpy``) using the Blender user folder ``resources``."""
    resources.mkdir(parents=True, exist_ok=True)
    return run([sys.executable, "-c", code, *args], env=blender_env(resources))


def install_extension(zip_path: str | Path) -> Any:
    """(child) Install and enable the extension zip in the user repository; return the package."""
    import bpy

    result = bpy.ops.extensions.package_install_files(
        filepath=str(zip_path), repo=REPOSITORY, enable_on_install=True
    )
    assert result == {"FINISHED"}, result
    return importlib.import_module(EXTENSION_MODULE)


#: the child's entry point of :func:`publish_through_extension`
PUBLISH_CODE = (
    "import sys, blender_extension; blender_extension.publish_through_extension(*sys.argv[1:])"
)


def publish_through_extension(
    zip_path: str, db_url: str, task_id: str, plugins: str, out: str
) -> None:
    """(child) Install the extension, save a version of the task and publish it with the add-on.

    Only the add-on's operators are used (``bpy.ops.stalker.*``). With
    ``plugins="add-on"`` the add-on builds its default plugin manager (the
    installed entry points, its own copy as the ``blender`` plugin); with
    ``plugins="entry-points"`` it is handed a plugin manager of the installed
    entry points, whose ``blender`` plugin is the top-level
    ``stalker_blender.plugin``: another copy of the package than the extension
    that made the host. Two collections are marked
    for export, one as Alembic and one as USD, and the frame step is 2 (a
    warning only the Blender validators report). Writes what happened to
    ``out`` as JSON.
    """
    import bpy
    from blender_project import build_character

    from stalker_core import db
    from stalker_core.db.session import DBSession

    package = install_extension(zip_path)
    runtime = importlib.import_module(f"{package.__name__}.runtime").runtime
    db.setup({"sqlalchemy.url": db_url})
    if plugins == "add-on":
        runtime.configure(session=DBSession)
    else:
        from stalker_core.plugins import get_plugin_manager

        runtime.configure(session=DBSession, pm=get_plugin_manager({}, use_env=False))

    build_character("hero")
    build_character("prop", x=2.0)
    assert bpy.ops.stalker.mark_export(collection="hero", format="abc") == {"FINISHED"}
    assert bpy.ops.stalker.mark_export(collection="prop", format="usd") == {"FINISHED"}
    scene = bpy.context.scene
    scene.frame_start, scene.frame_end = 1001, 1048  # the shot's cut range
    scene.render.fps, scene.render.fps_base = 25, 1.0  # the project's rate
    scene.frame_step = 2
    saved = bpy.ops.stalker.save_as_version(task_id=int(task_id), description="extension")
    published = bpy.ops.stalker.publish()
    pm = runtime.plugin_manager()
    blender_plugin = pm.get_plugin("blender")
    report = {
        "saved": sorted(saved),
        "published": sorted(published),
        "package": package.__name__,
        "package_dir": str(Path(package.__file__).parent),
        "host_module": type(runtime.host()).__module__,
        "blender_plugin": getattr(blender_plugin, "__name__", None),
        "results": [[r.plugin, r.title, r.severity] for r in runtime.last_results],
        "version_id": runtime.scene_version().id,
    }
    Path(out).write_text(json.dumps(report))
    DBSession.remove()
