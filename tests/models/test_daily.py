"""Daily: a project's review session of version outputs (both DBs)."""

# ruff: noqa: F811 - the shared `prod` fixture is imported by name

from __future__ import annotations

import pytest
from test_prod_support import Prod, prod  # noqa: F401 - fixture

from stalker_core.exceptions import StalkerTypeError


def test_daily(prod: Prod) -> None:
    from stalker_core.models import Daily, File, Note

    out = File(name="comp_v001.mov", full_path="/renders/comp_v001.mov")
    daily = Daily(name="Daily 1", project=prod.project, files=[out])
    daily.notes.append(Note(content="looks good", created_by=prod.me))
    prod.session.add(daily)
    prod.session.commit()
    prod.session.expire_all()
    assert daily.files == [out] and daily.notes[0].content == "looks good"
    assert daily.status.code in {"OPEN", "NEW"}
    with pytest.raises(StalkerTypeError, match="Daily.project should be a Project"):
        Daily(name="D", project=None)
    with pytest.raises(StalkerTypeError, match="Daily.files should be a list of File"):
        daily.files.append("x.mov")
