"""Sequence: a task with a code; its shots (both DBs)."""

# ruff: noqa: F811 - the shared `prod` fixture is imported by name

from __future__ import annotations

from test_prod_support import Prod, prod  # noqa: F401 - fixture


def test_sequence(prod: Prod) -> None:
    from stalker_core.models import Sequence, Shot, Task

    seq = Sequence(code="SEQ1", project=prod.project)
    layout = Task(name="Layout", parent=seq, schedule_timing=2, schedule_unit="d")
    sh = Shot(code="SH1", project=prod.project, sequences=[seq])
    prod.session.add_all([seq, sh])
    prod.session.commit()
    prod.session.expire_all()
    assert seq.name == "SEQ1" and seq.children == [layout] and sh.sequences == [seq]
    assert seq.schedule_seconds == 2 * 9 * 3600
