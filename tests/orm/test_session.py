"""StalkerSession is the one session class the project creates sessions of."""

from __future__ import annotations

import ast
from pathlib import Path

from stalker_core.orm.session import DBSession, StalkerSession

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("stalker_core", "hosts", "plugins")


def _sources() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))


def _called_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _session_factories(path: Path, root: Path = ROOT) -> list[str]:
    """``file:line call`` of each session made there other than a StalkerSession."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = _called_name(node)
        where = f"{path.relative_to(root)}:{node.lineno}"
        if name in ("Session", "AsyncSession"):
            found.append(f"{where} {name}()")
        elif name == "sessionmaker":
            classes = [k.value for k in node.keywords if k.arg == "class_"]
            if not any(isinstance(c, ast.Name) and c.id == "StalkerSession" for c in classes):
                found.append(f"{where} sessionmaker() without class_=StalkerSession")
    return found


def test_the_scan_finds_a_plain_session(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from sqlalchemy import orm\n"
        "a = orm.Session(bind=None)\n"
        "b = orm.sessionmaker()\n"
        "c = orm.sessionmaker(class_=StalkerSession)\n"
        "d = StalkerSession()\n",
        encoding="utf-8",
    )
    assert _session_factories(sample, tmp_path) == [
        "sample.py:2 Session()",
        "sample.py:3 sessionmaker() without class_=StalkerSession",
    ]


def test_no_session_of_another_class_is_made() -> None:
    """The library, hosts and plugins make only StalkerSessions (the flush rules run)."""
    found = [f for path in _sources() for f in _session_factories(path)]
    assert found == []


def test_dbsession_makes_stalker_sessions() -> None:
    made = DBSession.session_factory()
    try:
        assert isinstance(made, StalkerSession)
    finally:
        made.close()


def test_the_tutorial_path_is_the_same_session() -> None:
    """``stalker_core.db.session`` (the tutorial's import) re-exports the orm objects."""
    from stalker_core.db import session as tutorial_path
    from stalker_core.orm import session

    assert tutorial_path.DBSession is session.DBSession
    assert tutorial_path.StalkerSession is session.StalkerSession
