"""Stalker's mixins on a studio's own class (in a child process: it adds tables to the model)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SCRIPT = textwrap.dedent(
    """
    import datetime as dt
    import warnings

    warnings.simplefilter("error")
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Mapped

    from stalker_core.exceptions import CircularDependencyError, ValidationError
    from stalker_core.models import File, Permission, WorkingHours
    from stalker_core.models.base import Base, SimpleEntity, fk_id
    from stalker_core.models.enum import TimeUnit
    from stalker_core.orm.session import StalkerSession
    from stalker_core.models.mixins import (
        ACLMixin, AmountMixin, DAGMixin, ReferenceMixin, ScheduleMixin,
        TargetEntityTypeMixin, UnitMixin, WorkingHoursMixin,
    )

    class Shelf(SimpleEntity, AmountMixin, UnitMixin, ScheduleMixin, DAGMixin, ReferenceMixin,
                ACLMixin, WorkingHoursMixin, TargetEntityTypeMixin):
        __tablename__ = "shelves"
        id: Mapped[int] = fk_id("simple_entities")

    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    assert {"shelves_references", "shelves_permissions"} <= set(Base.metadata.tables)
    with StalkerSession(engine) as s:
        top = Shelf(name="top", amount=3, unit="box", target_entity_type=File,
                    schedule_timing=2, schedule_unit=TimeUnit.Day)
        low = Shelf(name="low", parent=top, target_entity_type="Task")
        low.references.append(File(full_path="/a.jpg"))
        top.permissions.append(Permission(access="Allow", action="Read", class_name="Shelf"))
        top.working_hours = WorkingHours(name="wh")
        s.add_all([top, low])
        s.commit()
        s.expire_all()
        top = s.get(Shelf, top.id)
        assert (top.amount, top.unit, top.target_entity_type) == (3.0, "box", "File")
        assert top.schedule_seconds == 2 * 9 * 3600 and top.schedule_unit == "d"
        assert [c.name for c in top.children] == ["low"]
        assert [n.name for n in top.walk_hierarchy()] == ["top", "low"]
        assert top.children[0].references[0].full_path == "/a.jpg"
        assert top.permissions[0].action == "Read" and top.working_hours.name == "wh"
        for attr, bad, error in (("amount", -1, ValidationError), ("unit", 5, TypeError),
                                 ("schedule_unit", "fortnight", TypeError),
                                 ("schedule_constraint", 9, TypeError),
                                 ("target_entity_type", "", ValidationError),
                                 ("parent", top.children[0], CircularDependencyError),
                                 ("parent", File(full_path="/x"), TypeError),
                                 ("working_hours", "9-18", TypeError)):
            try:
                setattr(top, attr, bad)
            except error:
                pass
            else:
                raise AssertionError(f"{attr}={bad!r} was accepted")
        for attr, bad in (("references", "/b.jpg"), ("permissions", "Read")):
            try:
                getattr(top, attr).append(bad)
            except TypeError:
                pass
            else:
                raise AssertionError(f"{attr} took {bad!r}")
    print("ok")
    """
)


@pytest.mark.slow
def test_a_studio_class_built_from_stalkers_mixins() -> None:
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(root), env.get("PYTHONPATH", "")])
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
