"""The add-on installs into a Blender installation as an extension and as a legacy add-on.

Runs Blender's own extension tool (``blender --command extension`` is
``bl_pkg/cli/blender_ext.py``) to validate and build the package, then, in a
child process whose Blender user folder is a temporary one, installs the zip
as an extension and the folder as a legacy add-on, enabling and disabling each.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

bpy = pytest.importorskip("bpy", exc_type=ImportError)

import stalker_blender  # noqa: E402

pytestmark = pytest.mark.blender

PACKAGE = Path(stalker_blender.__file__).parent


def blender_ext_tool() -> Path:
    for root in bpy.utils.script_paths():
        tool = Path(root) / "addons_core" / "bl_pkg" / "cli" / "blender_ext.py"
        if tool.is_file():
            return tool
    pytest.skip("Blender's extension tool (bl_pkg) is not part of this bpy build")


def run(args: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=300, **kw)  # type: ignore[call-overload, no-any-return]


def test_manifest_validates_and_builds(tmp_path: Path) -> None:
    tool = blender_ext_tool()
    checked = run([sys.executable, str(tool), "validate", str(PACKAGE)])
    assert checked.returncode == 0, checked.stdout + checked.stderr
    out = tmp_path / "dist"
    out.mkdir()
    built = run(
        [sys.executable, str(tool), "build", "--source-dir", str(PACKAGE), "--output-dir", str(out)]
    )
    assert built.returncode == 0, built.stdout + built.stderr
    assert [p.name for p in out.iterdir()] == [f"stalker_blender-{stalker_blender.__version__}.zip"]


SCRIPT = textwrap.dedent(
    """
    import shutil, sys
    import bpy, addon_utils

    zip_path, package, addons_dir = sys.argv[1:4]
    result = bpy.ops.extensions.package_install_files(
        filepath=zip_path, repo="user_default", enable_on_install=True)
    print("extension installed", result, hasattr(bpy.types, "STALKER_PT_context"))
    print("extension module", "bl_ext.user_default.stalker_blender" in sys.modules)
    addon_utils.disable("bl_ext.user_default.stalker_blender")
    print("extension disabled", hasattr(bpy.types, "STALKER_PT_context"))

    shutil.copytree(package, addons_dir + "/stalker_pipeline_legacy",
                    ignore=shutil.ignore_patterns("__pycache__"))
    addon_utils.modules_refresh()
    module = addon_utils.enable("stalker_pipeline_legacy", default_set=True)
    print("legacy enabled", module is not None, hasattr(bpy.types, "STALKER_PT_context"))
    print("legacy name", addon_utils.module_bl_info(module)["name"])
    bpy.ops.stalker.update_references.get_rna_type()
    addon_utils.disable("stalker_pipeline_legacy")
    print("legacy disabled", hasattr(bpy.types, "STALKER_PT_context"))
    """
)


def test_installs_as_extension_and_as_legacy_addon(tmp_path: Path) -> None:
    tool = blender_ext_tool()
    dist = tmp_path / "dist"
    dist.mkdir()
    run(
        [
            sys.executable,
            str(tool),
            "build",
            "--source-dir",
            str(PACKAGE),
            "--output-dir",
            str(dist),
        ]
    )
    (zip_path,) = dist.iterdir()
    resources = tmp_path / "blender_user"
    addons = resources / "scripts" / "addons"
    addons.mkdir(parents=True)
    env = dict(os.environ, BLENDER_USER_RESOURCES=str(resources))
    done = run([sys.executable, "-c", SCRIPT, str(zip_path), str(PACKAGE), str(addons)], env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = [line for line in done.stdout.splitlines() if not line.startswith(("00:", "STATUS"))]
    assert lines == [
        "extension installed {'FINISHED'} True",
        "extension module True",
        "extension disabled False",
        "legacy enabled True True",
        "legacy name Stalker Pipeline",
        "legacy disabled False",
    ]
    assert (resources / "extensions" / "user_default" / "stalker_blender" / "adapter.py").is_file()
    shutil.rmtree(resources)
