"""Launching Krita: discovery on fake install trees, the prepared environment, kritarc."""

from __future__ import annotations

import gzip
import os
import plistlib
from pathlib import Path

from launch_helpers import fake_executable
from stalker_krita.launch import (
    DATA_DIR,
    PACKAGE_ROOT,
    PLUGIN_NAME,
    Roots,
    discover,
    enable_plugin,
    kritarc_of,
    prepare,
    stalker_launch_before_start,
)


def test_discovery_reads_versions_without_starting_krita(tmp_path: Path) -> None:
    system = fake_executable(tmp_path / "usr/bin/krita")
    changelog = tmp_path / "changelog.Debian.gz"
    with gzip.open(changelog, "wt") as fh:
        fh.write("krita (1:5.1.5+dfsg-1) unstable; urgency=medium\n")
    image = fake_executable(tmp_path / "opt/krita-5.2.6-x86_64.appimage")
    windows = fake_executable(tmp_path / "Program Files/Krita (x64)/bin/krita.exe")
    bundle = tmp_path / "Applications/krita.app"
    mac = fake_executable(bundle / "Contents/MacOS/krita")
    with open(bundle / "Contents/Info.plist", "wb") as fh:
        plistlib.dump({"CFBundleShortVersionString": "5.2.2"}, fh)
    roots = Roots(system_binary=system, changelog=changelog, appimage_dirs=(tmp_path / "opt",),
                  windows=tmp_path / "Program Files", macos_apps=(tmp_path / "Applications",))
    found = {(i.variant, i.executable) for i in discover(roots)}
    assert found == {("5.1", system), ("5.2", image), ("5", windows), ("5.2", mac)}


def test_prepare_finds_the_plugin_through_xdg_data_dirs() -> None:
    env = {"XDG_DATA_DIRS": "/usr/local/share:/usr/share", "STALKER_PYTHONPATH": "/deploy"}
    prepare(env)
    assert env["XDG_DATA_DIRS"].split(os.pathsep) == [str(DATA_DIR), "/usr/local/share",
                                                      "/usr/share"]
    assert (DATA_DIR / "krita/pykrita" / f"{PLUGIN_NAME}.desktop").is_file()
    assert (DATA_DIR / "krita/pykrita" / PLUGIN_NAME / "__init__.py").is_file()
    assert env["QT_PREFERRED_BINDING"] == "PyQt5"
    assert env["STALKER_PYTHONPATH"].split(os.pathsep) == [str(PACKAGE_ROOT), "/deploy"]
    prepare(env)
    assert env["XDG_DATA_DIRS"].count(str(DATA_DIR)) == 1
    bare: dict[str, str] = {}
    prepare(bare)
    assert bare["XDG_DATA_DIRS"].endswith("/usr/local/share:/usr/share")


def test_the_plugin_is_enabled_in_kritarc_once_and_other_settings_kept(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config")}
    kritarc = kritarc_of(env)
    assert kritarc == tmp_path / "config" / "kritarc"
    assert stalker_launch_before_start("krita", env) == [
        f"enabled Krita's Python plugin {PLUGIN_NAME} in {kritarc}"]
    assert stalker_launch_before_start("krita", env) is None
    assert stalker_launch_before_start("blender", env) is None
    kritarc.write_text("[General]\nCreateBackupFile=true\n\n[python]\nenable_other=true\n"
                       f"enable_{PLUGIN_NAME}=false\n")
    assert enable_plugin(kritarc) is True
    text = kritarc.read_text()
    assert "CreateBackupFile=true" in text and "enable_other=true" in text
    assert f"enable_{PLUGIN_NAME}=true" in text and f"enable_{PLUGIN_NAME}=false" not in text
    assert kritarc_of({"HOME": str(tmp_path)}) == tmp_path / ".config" / "kritarc"
