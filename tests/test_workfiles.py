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
