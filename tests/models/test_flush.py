"""The flush pipeline: one listener on StalkerSession, steps in a declared order."""

# ruff: noqa: F811 - the shared `prod` fixture is imported by name

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from test_prod_support import Prod, at, make_user, prod  # noqa: F401 - fixture

from stalker_core.exceptions import ValidationError
from stalker_core.models import flush
from stalker_core.orm.session import StalkerSession

SESSION_EVENTS = (
    "before_flush",
    "after_flush",
    "after_flush_postexec",
    "after_soft_rollback",
    "after_rollback",
    "after_commit",
    "after_begin",
    "do_orm_execute",
)


class _Unrelated(DeclarativeBase):
    """A mapping a host application might have: nothing to do with stalker_core."""


class Setting(_Unrelated):
    __tablename__ = "host_settings"
    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[str] = mapped_column(default="")


def _ours(session: Session, event_name: str) -> list[str]:
    """Names of stalker_core's listeners of ``event_name`` on ``session``."""
    return [
        f"{fn.__module__}.{fn.__qualname__}"
        for fn in getattr(session.dispatch, event_name)
        if getattr(fn, "__module__", "").startswith("stalker_core")
    ]


def _recording_steps(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Replace every step by one that records its name (and still runs the real step)."""
    ran: list[str] = []

    def recorder(step: flush.FlushStep) -> Callable[[Session], None]:
        def run(session: Session) -> None:
            ran.append(step.name)
            step.run(session)

        return run

    monkeypatch.setattr(
        flush, "STEPS", tuple(flush.FlushStep(s.name, recorder(s)) for s in flush.STEPS)
    )
    return ran


def test_steps_are_declared_once_in_this_order() -> None:
    assert [s.name for s in flush.STEPS] == [
        "task_statuses",
        "default_statuses",
        "time_logs",
        "shot_codes",
        "user_logins",
        "ticket_numbers",
        "version_numbers",
    ]
    assert len({s.run for s in flush.STEPS}) == len(flush.STEPS)


def test_nothing_is_registered_on_sqlalchemys_session_class() -> None:
    with Session() as plain:
        for name in SESSION_EVENTS:
            assert _ours(plain, name) == [], name


def test_stalker_session_has_the_pipeline_as_its_one_flush_listener() -> None:
    with StalkerSession() as ours:
        assert _ours(ours, "before_flush") == ["stalker_core.models.flush.run_steps"]
        for name, listener in flush.SESSION_HOOKS:
            assert f"{listener.__module__}.{listener.__qualname__}" in _ours(ours, name)


def test_install_is_idempotent() -> None:
    flush.install()
    flush.install()
    with StalkerSession() as ours:
        assert _ours(ours, "before_flush") == ["stalker_core.models.flush.run_steps"]


def test_a_plain_session_runs_none_of_our_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    ran = _recording_steps(monkeypatch)
    engine = create_engine("sqlite://")
    _Unrelated.metadata.create_all(engine)
    try:
        with Session(engine) as plain:
            plain.add_all([Setting(value="a"), Setting(value="b")])
            plain.flush()
            plain.rollback()
            plain.add(Setting(value="c"))
            plain.commit()
        assert ran == []
        # the same objects in our session class: every step runs, in order, once per flush
        with StalkerSession(engine) as ours:
            ours.add(Setting(value="d"))
            ours.flush()
            ours.add(Setting(value="e"))
            ours.commit()
        names = [s.name for s in flush.STEPS]
        assert ran == names + names
    finally:
        engine.dispose()


def test_statuses_of_new_tasks_come_before_the_default_status(
    prod: Prod, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Step 1 before step 2: a new task without dependencies is RTS, not WFD.

    WFD is the first status of the Task status list, which step 2 would give.
    """
    from stalker_core.models import Project, Task

    project = Project(name="Fresh", code="FR")  # not stored: statuses given at flush
    first = Task(name="first", project=project)
    prod.session.add(project)
    prod.session.flush()
    assert first.status.code == "RTS"
    assert first.status_list.statuses[0].code == "WFD"

    steps = {s.name: s for s in flush.STEPS}
    swapped = (steps["default_statuses"], steps["task_statuses"])
    monkeypatch.setattr(flush, "STEPS", swapped + flush.STEPS[2:])
    other = Project(name="Other", code="OT")
    second = Task(name="second", project=other)
    prod.session.add(other)
    prod.session.flush()
    assert second.status.code == "WFD"  # what the declared order prevents


def test_a_time_log_on_a_task_new_in_the_same_flush_starts_it(prod: Prod) -> None:
    """Step 1 before step 3: the new task is RTS when its time log is checked, so -> WIP."""
    from stalker_core.models import Project, Task, TimeLog

    # nothing in a session yet: the time log is checked at flush
    project = Project(name="Fresh", code="FR")
    task = Task(name="fresh", project=project)
    log = TimeLog(task=task, resource=make_user(9), start=at(2, 9), end=at(2, 10))
    prod.session.add_all([project, log])
    prod.session.flush()
    assert task.status.code == "WIP"


def test_a_refused_shot_code_takes_no_ticket_number(prod: Prod) -> None:
    """Step 4 before step 5: the flush is refused before tickets are numbered."""
    from stalker_core.models import Project, Shot, Ticket

    project = Project(name="Fresh", code="FR")  # not stored: tickets numbered at flush
    ticket = Ticket(project=project, summary="later")
    twins = [Shot(code="X", project=project), Shot(code="X", project=project)]
    prod.session.add_all([project, ticket, *twins])
    with pytest.raises(ValidationError, match="'X' is used twice"):
        prod.session.flush()
    assert ticket.number is None
    prod.session.rollback()


def test_a_plain_session_may_not_insert_model_objects() -> None:
    """A plain SQLAlchemy Session would skip the flush rules: inserting is refused, loudly."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session as PlainSession

    from stalker_core.exceptions import ConfigError
    from stalker_core.models import Base, Tag
    from stalker_core.orm.session import StalkerSession

    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with PlainSession(engine) as plain:
        plain.add(Tag(name="refused"))
        with pytest.raises(ConfigError, match="skips stalker_core's flush rules"):
            plain.flush()
    with StalkerSession(engine) as ours:
        ours.add(Tag(name="stored"))
        ours.flush()
    engine.dispose()
