"""Where work files and published files may land: never relative to the current folder, never
outside the repository through a link; taken names skipped; errors naming the right file."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest
from wf_helpers import FILE_TEMPLATE, Demo, files_under

from stalker_core.exceptions import IntegrationError, RepositoryError
from stalker_core.testing.fake_host import FakeHost
from stalker_core.workflows import publish, save_as_version
from stalker_core.workflows import transaction as tx_module


def _count(session: Any, task: Any) -> int:
    from stalker_core.models import Version

    session.expire_all()
    return int(session.query(Version).filter_by(task_id=task.id).count())


def test_a_project_without_repository_does_not_save_relative_to_the_current_folder(
    session: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, host: FakeHost, pm: Any
) -> None:
    from stalker_core.models import FilenameTemplate, Project, Structure, Task, User

    structure = Structure(name="No repo", templates=[FilenameTemplate(
        name="Task NR", target_entity_type="Task", path="{{project.code}}/{{task.nice_name}}",
        filename=FILE_TEMPLATE,
    )])
    project = Project(name="No Repo", code="NR", structure=structure)
    task = Task(name="layout", project=project)
    session.add_all([project, task])
    session.commit()
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    admin = session.query(User).filter_by(login="admin").one()
    with pytest.raises(RepositoryError, match=r"relative path.*has no repository.*current folder"):
        save_as_version(host, task, user=admin, session=session, pm=pm)
    assert list(cwd.iterdir()) == [] and _count(session, task) == 0


def test_a_link_out_of_the_repository_is_refused_for_saving(
    session: Any, demo: Demo, tmp_path: Path, host: FakeHost, pm: Any
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (demo.root / "TP").mkdir()
    (demo.root / "TP" / "SH001").symlink_to(outside)
    with pytest.raises(RepositoryError, match=r"symbolic link to .*outside.*outside the repo"):
        save_as_version(host, demo.comp, session=session, pm=pm)
    assert list(outside.iterdir()) == [] and _count(session, demo.comp) == 0


def test_a_link_inside_the_repository_is_followed(
    session: Any, demo: Demo, host: FakeHost, pm: Any
) -> None:
    real = demo.root / "storage" / "SH001"
    real.mkdir(parents=True)
    (demo.root / "TP").mkdir()
    (demo.root / "TP" / "SH001").symlink_to(real)
    v = save_as_version(host, demo.comp, session=session, pm=pm)
    assert (real / "comp" / v.filename).is_file()


def test_a_link_out_of_the_repository_is_refused_for_publishing(
    session: Any, demo: Demo, tmp_path: Path, pm: Any
) -> None:
    host = FakeHost(frame_range=(1001, 1050))
    v = save_as_version(host, demo.comp, session=session, pm=pm)
    outside = tmp_path / "outside"
    outside.mkdir()
    (demo.root / "TP/SH001/comp/publish").symlink_to(outside)
    with pytest.raises(RepositoryError, match="outside the repository"):
        publish(host, v, session=session, pm=pm)
    assert list(outside.iterdir()) == []
    session.expire_all()
    assert not v.is_published


def test_many_taken_file_names_are_skipped(
    session: Any, demo: Demo, host: FakeHost, pm: Any
) -> None:
    folder = demo.root / "TP/SH001/comp"
    folder.mkdir(parents=True)
    for n in range(1, 31):
        (folder / f"SH001_comp_Main_v{n:03d}.fake").write_text("planted")
    v = save_as_version(host, demo.comp, session=session, pm=pm)
    assert v.version_number == 31 and Path(v.absolute_full_path).stat().st_size > 0
    assert (folder / "SH001_comp_Main_v001.fake").read_text() == "planted"


def test_a_file_name_that_ignores_the_number_gives_up_with_advice(
    session: Any, demo: Demo, host: FakeHost, pm: Any
) -> None:
    from stalker_core.exceptions import WorkfileError

    for t in demo.project.structure.templates:
        t.filename = "{{version.nice_name}}"
    session.commit()
    folder = demo.root / "TP/SH001/comp"
    folder.mkdir(parents=True)
    (folder / "SH001_comp_Main.fake").write_text("planted")
    with pytest.raises(WorkfileError, match="put the version number in the file name"):
        save_as_version(host, demo.comp, session=session, pm=pm)
    assert _count(session, demo.comp) == 0


def test_a_full_disk_names_the_destination_not_the_staging_copy(
    session: Any, demo: Demo, pm: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    host = FakeHost(frame_range=(1001, 1050))
    v = save_as_version(host, demo.comp, session=session, pm=pm)
    before = files_under(demo.root)

    def full(src: Path, dst: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(dst))

    monkeypatch.setattr(tx_module, "_copy_file", full)
    with pytest.raises(IntegrationError) as caught:
        publish(host, v, session=session, pm=pm)
    message = str(caught.value)
    assert "TP/SH001/comp/publish/SH001_comp_Main_v001.fake'" in message
    assert "No space left" in message and ".stalker-staging-" not in message
    assert files_under(demo.root) == before


def test_a_read_only_repository_is_a_repository_error(
    session: Any, demo: Demo, host: FakeHost, pm: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_mkdir = Path.mkdir

    def read_only(self: Path, *args: Any, **kwargs: Any) -> None:
        if self.is_relative_to(demo.root):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(self))
        real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", read_only)
    with pytest.raises(RepositoryError, match=r"cannot create folder .*TP'.*should be writable"):
        save_as_version(host, demo.comp, session=session, pm=pm)
    assert _count(session, demo.comp) == 0
