"""A journal that cannot be written (disk full) leaves nothing and says where it was."""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any

import pytest

from stalker_core.exceptions import IntegrationError
from stalker_core.workflows import FileTransaction
from stalker_core.workflows.journal import PART_SUFFIX, Journal


def disk_full_for_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Writing a journal's ``.part`` writes half of it, then fails: no space left."""
    real = Path.write_text

    def write_text(self: Path, data: str, *args: Any, **kwargs: Any) -> int:
        if not self.name.endswith(PART_SUFFIX):
            return real(self, data, *args, **kwargs)
        real(self, data[: len(data) // 2], *args, **kwargs)
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(Path, "write_text", write_text)


def test_reserve_on_a_full_disk_leaves_no_part(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    disk_full_for_parts(monkeypatch)
    with pytest.raises(OSError, match="No space left"):
        Journal("save", version_id=1).reserve(tmp_path / "shot_v001.ma")
    assert list(tmp_path.iterdir()) == []


def test_publish_journal_failure_names_the_journal_and_its_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "work.ma"
    source.write_text("scene")
    dest = tmp_path / "repo" / "publish" / "shot_v001.ma"
    tx = FileTransaction()
    tx.add(source, dest)
    disk_full_for_parts(monkeypatch)
    with pytest.raises(IntegrationError) as err:
        tx.commit()
    message = str(err.value)
    assert f"the publish journal {tx.journal.name!r}" in message
    assert f"in {str(dest.parent)!r}" in message
    assert "No space left on device" in message and "nothing was published" in message
    assert not (tmp_path / "repo").exists()  # the folders it made went too
