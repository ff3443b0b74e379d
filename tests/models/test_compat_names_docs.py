"""docs/stalker-compat.md tells the truth: every name it gives is importable.

The names are read from the page (never listed twice): each `stalker_core...`
name of an "ours" column, and each Stalker module of the module table, whose
public names are compared with the installed Stalker 1.1 (the ``bench`` extra).
"""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path
from typing import Any

import pytest

PAGE = Path(__file__).resolve().parents[2] / "docs" / "stalker-compat.md"
_NAME = re.compile(r"`(stalker_core(?:\.\w+)+)`")


def _tables() -> dict[str, list[list[str]]]:
    """Each table of the page by the first cell of its header: its rows of cells."""
    tables: dict[str, list[list[str]]] = {}
    current: list[list[str]] | None = None
    for line in PAGE.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            current = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if current is None:
            current = tables.setdefault(cells[0], [])
        elif not set("".join(cells)) <= set("-: "):
            current.append(cells)
    return tables


def _resolve(dotted: str) -> Any:
    """The object a dotted name gives: the longest importable module, then attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise ModuleNotFoundError(dotted)


def _ours() -> list[str]:
    rows = _tables()["Stalker name"]
    return sorted({name for row in rows for name in _NAME.findall(row[1])})


def _module_rows() -> list[tuple[str, str, set[str]]]:
    out = []
    for theirs, ours, missing in _tables()["Stalker module"]:
        module = theirs.split("`")[1]
        names = missing.split("(", 1)[0]  # the reason, in parentheses, may name other things
        out.append((module, ours.strip("`"), set(re.findall(r"`(\w+)`", names))))
    return out


def test_the_page_covers_every_item_of_the_issue() -> None:
    rows = _tables()["Stalker name"]
    text = " ".join(row[0] for row in rows)
    for needle in ("DBSession.save", "auto-naming", "value semantics", "DateRangeMixin",
                   "to_linux_path", "generic_text", "full_path", "unknown keywords",
                   "status workflow timing", "exception classes", "Shot(sequence=",
                   "stalker` import package"):
        assert needle in text, needle
    assert len(_ours()) > 60
    assert all(len(row) == 3 and row[2] for row in rows)


@pytest.mark.parametrize("dotted", _ours())
def test_every_name_of_the_ours_column_exists(dotted: str) -> None:
    assert _resolve(dotted) is not None


def _public_names(module: Any) -> set[str]:
    """What a Stalker module defines for its users: classes, functions and constants."""
    names = set()
    for name, value in vars(module).items():
        if name.startswith("_") or inspect.ismodule(value) or isinstance(value, bool):
            continue
        defined_here = getattr(value, "__module__", None) == module.__name__
        constant = name.isupper() and isinstance(value, int | str | dict | tuple)
        if defined_here or constant:
            names.add(name)
    return names


@pytest.mark.parametrize(("theirs", "ours", "missing"), _module_rows())
def test_stalker_module_names_are_importable_from_ours(
    theirs: str, ours: str, missing: set[str]
) -> None:
    counterpart = importlib.import_module(ours)
    try:
        stalker_module = importlib.import_module(theirs)
    except ModuleNotFoundError:  # a 1.0 module that Stalker 1.1 no longer has
        assert theirs == "stalker.models.link"
        assert counterpart.Link is counterpart.File
        return
    expected = _public_names(stalker_module)
    assert missing <= expected, "the page lists a name Stalker does not define"
    lacking = sorted(n for n in expected - missing if not hasattr(counterpart, n))
    assert not lacking, f"{ours} lacks {lacking}"


def test_the_module_table_covers_every_stalker_module() -> None:
    import stalker

    root = Path(stalker.__file__).parent
    found = {
        "stalker." + ".".join(p.relative_to(root).with_suffix("").parts)
        for p in root.rglob("*.py")
        if p.stem != "__init__" and p.parent.name in ("models", "db") or p.parent == root
    }
    listed = {theirs for theirs, _, _ in _module_rows()}
    # the package's own plumbing: configuration (stalker_core.config), logging, version
    plumbing = {"stalker.config", "stalker.log", "stalker.version", "stalker.__init__"}
    assert found - plumbing <= listed
