"""The add-on installs into a Blender installation as an extension and as a legacy add-on.

Runs Blender's own extension tool (``blender --command extension`` is
``bl_pkg/cli/blender_ext.py``) to validate and build the package, then, in a
child process whose Blender user folder is a temporary one, installs the zip
as an extension and the folder as a legacy add-on, enabling and disabling each.

Installed as an extension, the package is imported as
``bl_ext.user_default.stalker_blender``, not ``stalker_blender``: a publish
through the extension-installed add-on must still be recognised as a Blender
publish (collection caches, Blender checks), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import shutil
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

bpy = pytest.importorskip("bpy", exc_type=ImportError)

import stalker_blender  # noqa: E402
from blender_extension import (  # noqa: E402
    EXTENSION_MODULE,
    PUBLISH_CODE,
    blender_ext_tool,
    build_extension_zip,
    package_dir,
    run,
    run_blender_python,
)
from blender_project import build_production  # noqa: E402

pytestmark = pytest.mark.blender


def test_manifest_validates_and_builds(tmp_path: Path) -> None:
    checked = run([sys.executable, str(blender_ext_tool()), "validate", str(package_dir())])
    assert checked.returncode == 0, checked.stdout + checked.stderr
    zip_path = build_extension_zip(tmp_path / "dist")
    assert zip_path.name == f"stalker_blender-{stalker_blender.__version__}.zip"


SCRIPT = textwrap.dedent(
    """
    import shutil, sys
    import bpy, addon_utils
    from blender_extension import install_extension

    zip_path, package, addons_dir = sys.argv[1:4]
    module = install_extension(zip_path)
    print("extension installed", module.__name__, hasattr(bpy.types, "STALKER_PT_context"))
    addon_utils.disable(module.__name__)
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
    zip_path = build_extension_zip(tmp_path / "dist")
    resources = tmp_path / "blender_user"
    addons = resources / "scripts" / "addons"
    addons.mkdir(parents=True)
    done = run_blender_python(
        SCRIPT, str(zip_path), str(package_dir()), str(addons), resources=resources
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = [line for line in done.stdout.splitlines() if not line.startswith(("00:", "STATUS"))]
    assert lines == [
        f"extension installed {EXTENSION_MODULE} True",
        "extension disabled False",
        "legacy enabled True True",
        "legacy name Stalker Pipeline",
        "legacy disabled False",
    ]
    installed = resources / "extensions" / "user_default" / "stalker_blender"
    assert (installed / "adapter.py").is_file()
    assert (installed / "blender_manifest.toml").is_file()
    shutil.rmtree(resources)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("plugins", "blender_plugin"),
    [("add-on", f"{EXTENSION_MODULE}.plugin"), ("entry-points", "stalker_blender.plugin")],
)
def test_publish_through_the_extension_exports_caches(
    session: Any, tmp_path: Path, fresh_blender: Any, plugins: str, blender_plugin: str
) -> None:
    """Save and publish with the extension's operators: Blender checks run, caches are written.

    Whether the ``blender`` publish plugin is the extension's own copy (the
    add-on's default plugin manager) or the installed distribution's
    ``stalker_blender.plugin`` (a plugin manager handed to the add-on), the
    extension's host is recognised as a Blender host.
    """
    from stalker_core.models import Version

    prod = build_production(session, tmp_path / "repo")
    url = session.get_bind().url.render_as_string(hide_password=False)
    zip_path = build_extension_zip(tmp_path / "dist")
    out = tmp_path / "report.json"
    done = run_blender_python(
        PUBLISH_CODE,
        str(zip_path),
        url,
        str(prod.layout.id),
        plugins,
        str(out),
        resources=tmp_path / "blender_user",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(out.read_text())
    assert report["package"] == EXTENSION_MODULE
    assert report["package_dir"] == str(
        tmp_path / "blender_user" / "extensions" / "user_default" / "stalker_blender"
    )
    assert report["host_module"] == f"{EXTENSION_MODULE}.adapter"
    assert (report["saved"], report["published"]) == (["FINISHED"], ["FINISHED"])
    # a check only the Blender validators make (the frame step) was reported
    assert ["blender.frame_range", "Frame step", "warning"] in report["results"]

    session.expire_all()
    version = session.get(Version, report["version_id"])
    assert version.task == prod.layout and version.is_published
    stem = Path(version.absolute_full_path).stem
    publish_dir = Path(version.absolute_path) / "publish"
    assert sorted(f.name for f in version.outputs) == [
        f"{stem}.blend",
        f"{stem}_hero.abc",  # the Alembic cache of the collection marked "abc"
        f"{stem}_prop.usd",  # the USD file of the collection marked "usd"
    ]
    assert b"Ogawa" in (publish_dir / f"{stem}_hero.abc").read_bytes()[:16]
    assert b"PXR-USDC" in (publish_dir / f"{stem}_prop.usd").read_bytes()[:16]
    # the add-on's default plugin manager runs the extension's own publish plugins
    assert report["blender_plugin"] == blender_plugin
