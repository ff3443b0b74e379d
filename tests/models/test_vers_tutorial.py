"""Tutorial Part VI (asset management) runs as written and prints the tutorial's values.

Parts I-IV build the data Part VI uses; Part V (scheduling) is skipped here
(tests/test_tutorial.py runs the whole tutorial). The one correction: the
third version's filename is ``SH001_comp_Main_v003``.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from typing import Any

import pytest

from stalker_core.models import repository as repo_mod
from stalker_core.testing.tutorial import extract_blocks

TUTORIAL = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "tutorial.rst"
SKIPPED_URLS = ("sqlite:///C:/studio.db", "sqlite:////home/ozgur/studio.db")


def run_parts(db_url: str) -> tuple[dict[str, Any], list[str]]:
    if not TUTORIAL.exists():
        pytest.skip(f"tutorial not found at {TUTORIAL}")
    namespace: dict[str, Any] = {"__name__": "tutorial"}
    part_vi: list[str] = []
    for block in extract_blocks(TUTORIAL):
        if block.part in {"V", "VII", "VIII"} or any(u in block.code for u in SKIPPED_URLS):
            continue
        code = block.code.replace('"sqlite:///"', repr(db_url))
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            try:
                exec(compile(code, f"tutorial.rst:{block.line}", "exec"), namespace)
            except Exception as exc:
                raise AssertionError(
                    f"tutorial block at line {block.line} (Part {block.part}) failed:\n{code}"
                ) from exc
        if block.part == "VI":
            part_vi.extend(buf.getvalue().splitlines())
    return namespace, part_vi


def test_part_vi_prints_the_tutorial_values(db_url: str, monkeypatch: Any) -> None:
    from stalker_core.orm.session import DBSession

    monkeypatch.setattr(repo_mod, "current_os", lambda: "linux")
    try:
        ns, printed = run_parts(db_url)
        rid = ns["commercial_repo"].id
        assert printed == [
            "/mnt/M/commercials",
            f"$REPO{rid}/FC/SH001/comp",
            "SH001_comp_Main_v001",
            f"$REPO{rid}/FC/SH001/comp/SH001_comp_Main_v001",
            "/mnt/M/commercials/FC/SH001/comp",
            "/mnt/M/commercials/FC/SH001/comp/SH001_comp_Main_v001",
            "1",
            "2",
            "SH001_comp_Main_v002",
            "3",
            "SH001_comp_Main_v003",
        ]
        assert repr(ns["vers_from_python"]) == (
            "[<FC_SH001_comp_Main_v001 (Version)>, <FC_SH001_comp_Main_v002 (Version)>, "
            "<FC_SH001_comp_Main_v003 (Version)>]"
        )
        assert ns["vers_from_python"] == ns["vers_from_query"]
        assert ns["commercial_project_structure"].custom_template.split() == [
            "Temp",
            "References",
            "References/Movies",
            "References/Images",
        ]
    finally:
        DBSession.rollback()
        DBSession.remove()
