"""The scene callbacks (save check, after-open notice) on the FAKE ``maya`` package."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from maya_project import build_production, plugin_manager
from stalker_maya import callbacks, startup
from stalker_maya.adapter import MayaHost

from stalker_core.controllers.menu import MenuController
from stalker_core.exceptions import WorkfileError
from stalker_core.workflows import publish, save_as_version


@pytest.fixture
def installed(fake_maya: Any) -> Any:
    fake_maya.pretend_inside_maya = True
    assert startup.install() is True
    return fake_maya


def test_install_registers_each_callback_once(installed: Any) -> None:
    startup.install()
    assert len(installed.api.OpenMaya._callbacks) == 2


def test_ctrl_s_over_a_version_file_is_refused(
    installed: Any, session: Any, tmp_path: Path
) -> None:
    cmds = installed.cmds
    prod = build_production(session, tmp_path / "repo")
    host = MayaHost()
    version = save_as_version(host, prod.model, session=session, pm=plugin_manager())
    path = Path(version.absolute_full_path)
    before = path.read_bytes()
    cmds.fileInfo("touched", "yes")
    with pytest.raises(RuntimeError, match="cancelled"):
        cmds.file(save=True, type="mayaAscii")  # what Ctrl+S does
    assert path.read_bytes() == before
    assert "Version Up" in cmds._warnings[-1] and f"version {version.id}" in cmds._warnings[-1]
    second = MenuController(host, session=session).version_up()  # the pipeline may save
    assert second.version_number == 2 and Path(second.absolute_full_path).is_file()


def test_plain_saves_are_not_refused(installed: Any, tmp_path: Path) -> None:
    cmds = installed.cmds
    cmds.file(rename=str(tmp_path / "sketch.ma"))
    cmds.file(save=True, type="mayaAscii")
    cmds.fileInfo("k", "v")
    cmds.file(save=True, type="mayaAscii")  # no version id: an ordinary file
    assert cmds._warnings == []


def test_save_file_of_the_host_is_never_refused(installed: Any, tmp_path: Path) -> None:
    host = MayaHost()
    host.set_scene_metadata({"stalker_version_id": "3"})
    host.save_file(tmp_path / "v003.ma")
    host.save_file(tmp_path / "v004.ma")
    assert (tmp_path / "v004.ma").is_file()


def test_after_open_warns_about_outdated_references(
    installed: Any, session: Any, tmp_path: Path
) -> None:
    prod = build_production(session, tmp_path / "repo")
    kw = {"session": session, "pm": plugin_manager(), "user": prod.user}
    host = MayaHost()
    model_v1 = save_as_version(host, prod.model, **kw)
    publish(host, model_v1, **kw)
    host.new_file()
    host.load_reference(Path(model_v1.absolute_full_path), version_id=model_v1.id)
    anim = save_as_version(host, prod.anim, **kw)
    host.open_file(Path(model_v1.absolute_full_path))
    model_v2 = save_as_version(host, prod.model, **kw)
    publish(host, model_v2, **kw)
    assert callbacks.outdated_message(host, session) is None  # the model has no references
    host.open_file(Path(anim.absolute_full_path))  # the callback has no session here
    message = callbacks.outdated_message(host, session)
    assert message is not None and "1 outdated reference(s)" in message


def test_after_open_never_raises(installed: Any, tmp_path: Path, monkeypatch: Any) -> None:
    def boom(*args: Any, **kwargs: Any) -> Any:
        raise WorkfileError("database down")

    monkeypatch.setattr(callbacks, "outdated_message", boom)
    host = MayaHost()
    host.save_file(tmp_path / "a.ma")
    host.open_file(tmp_path / "a.ma")
    assert installed.cmds._warnings == []
