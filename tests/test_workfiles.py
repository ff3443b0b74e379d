"""stalker_core.workfiles: what file-writing hosts share."""

from __future__ import annotations

from pathlib import Path

import pytest


def test_reserve_workfile(tmp_path: Path) -> None:
    """Free names are reserved here; an empty placeholder is accepted; content never."""
    from stalker_core.exceptions import WorkfileError
    from stalker_core.workfiles import reserve_workfile

    free = tmp_path / "v001.ma"
    assert reserve_workfile(free) is True
    assert free.is_file() and free.stat().st_size == 0
    assert reserve_workfile(free) is False  # the workflow's own placeholder
    free.write_text("a saved scene")
    with pytest.raises(WorkfileError, match="Refusing to save over"):
        reserve_workfile(free)
    with pytest.raises(WorkfileError, match="does not exist"):
        reserve_workfile(tmp_path / "missing" / "v001.ma")


def test_path_inside() -> None:
    from stalker_core.workfiles import path_inside

    assert path_inside("/mnt/proj/SH010/comp.nk", ["/other", "/mnt/proj"])
    assert path_inside("/mnt/proj", ["/mnt/proj/"])
    assert not path_inside("/mnt/project2/x.nk", ["/mnt/proj"])  # a prefix is not a parent
    assert not path_inside("/mnt/proj/../x.nk", ["/mnt/proj"])


def test_file_backed_host_never_saves_over_another_file(tmp_path: Path) -> None:
    """Only the current file (a re-save) and an empty placeholder may be written over."""
    from stalker_core.exceptions import WorkfileError
    from stalker_core.testing.fake_host import FakeHost

    precious = tmp_path / "v001.fake"
    precious.write_text("PRECIOUS WORK")
    host = FakeHost()
    host.edit("other scene")
    with pytest.raises(WorkfileError, match="Refusing to save over the existing file"):
        host.save_file(precious)
    assert precious.read_text() == "PRECIOUS WORK" and host.current_file() is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v001.fake"]

    mine = tmp_path / "v002.fake"
    host.save_file(mine)  # a new name
    host.edit("more")
    host.save_file(mine)  # the current file, saved again
    assert "more" in mine.read_text()
    placeholder = tmp_path / "v003.fake"
    placeholder.touch()  # what save_as_version reserves
    host.save_file(placeholder)
    assert "more" in placeholder.read_text() and host.current_file() == placeholder


def test_file_backed_host_removes_its_reservation_when_writing_fails(tmp_path: Path) -> None:
    import errno

    from stalker_core.exceptions import WorkfileError
    from stalker_core.testing.fake_host import FakeHost

    class Full(FakeHost):
        def _write_workfile(self, path: Path, record: dict[str, object]) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

    target = tmp_path / "v001.fake"
    with pytest.raises(WorkfileError, match="No space left on device"):
        Full().save_file(target)
    assert list(tmp_path.iterdir()) == []
