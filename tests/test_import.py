"""``import stalker_core`` is cheap and pulls in no DCC or Qt module."""

from __future__ import annotations

import json
import subprocess
import sys

FORBIDDEN = ("PySide6", "PySide2", "PyQt5", "PyQt6", "Qt", "bpy", "maya", "nuke", "hou")
HEAVY = ("sqlalchemy", "stalker_core.models", "stalker_core.db.setup", "jinja2", "alembic")


def _modules_after(code: str) -> list[str]:
    script = f"import sys; {code}; import json; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_import_loads_no_dcc_qt_or_orm_module() -> None:
    mods = _modules_after("import stalker_core")
    for name in FORBIDDEN + HEAVY:
        assert not any(m == name or m.startswith(name + ".") for m in mods), name


def test_lazy_attributes_resolve() -> None:
    import stalker_core

    assert stalker_core.User.__name__ == "User"
    assert stalker_core.db.setup is not None
    assert stalker_core.defaults.timing_resolution > 0


def test_unknown_attribute() -> None:
    import pytest

    import stalker_core

    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        stalker_core.Nope  # noqa: B018


def test_models_import_no_dcc_or_qt() -> None:
    mods = _modules_after("import stalker_core.models, stalker_core.db, stalker_core.config")
    for name in FORBIDDEN:
        assert not any(m == name or m.startswith(name + ".") for m in mods), name
