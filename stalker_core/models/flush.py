"""The flush pipeline: the model's rules that run when a StalkerSession flushes.

Some rules of the model can only run at flush, when every object of a unit
of work is known: a number unique per project, a status derived from all
children, a check that needs the database. They run as the steps of
:data:`STEPS`, one after the other, from a single ``before_flush`` listener
on :class:`~stalker_core.orm.session.StalkerSession` (the session class of
``DBSession``, ``db.setup()``, the CLI and the workflows). They are
registered on that class only, not on SQLAlchemy's ``Session``: another
SQLAlchemy session in the same process (a host application's own) runs none
of them. :func:`install` registers them once, when :mod:`stalker_core.models`
is imported.

The order of the steps, and why:

1. ``task_statuses`` - new leaf tasks get RTS or WFD from their dependencies,
   containers are re-derived from their children, dependents react. First,
   so that step 2 does not give a new task the first status of its status
   list, and so that step 3 reads the status a new task really has.
2. ``default_statuses`` - every other new object with statuses (project,
   ticket, review, ...) gets the first status list stored for its class and
   that list's first status. Before step 5: a ticket takes the studio's
   ticket status list when there is one, NEW only otherwise.
3. ``time_logs`` - a time log made while its task was in no session is
   checked for overbooking and moves its task RTS/HREV -> WIP; a deleted time
   log takes its duration off its task. After step 1, which gives a task new
   in the same flush its RTS.
4. ``shot_codes`` - the codes of new and changed shots are unique per
   project. It reads only codes and projects, which no step changes; it runs
   before steps 6 and 7, so a refused flush has taken no ticket number and
   no task lock.
5. ``user_logins`` - the logins and e-mails of new and changed users are
   unique (one query); like step 4, before anything is numbered or locked.
6. ``ticket_numbers`` - new tickets are numbered per project; those still
   without a status get NEW.
7. ``version_numbers`` - the numbers of new versions are made final: on
   PostgreSQL it locks the rows of their tasks (``SELECT ... FOR UPDATE``,
   held until the transaction ends), re-reads the stored maxima and
   renumbers and re-renders versions whose number another writer took
   (:mod:`stalker_core.models.version.numbering`). Last: every step that can
   refuse the flush runs before the lock is taken, and no later step can
   create a version.

Besides the pipeline, :func:`install` registers the end-of-transaction hooks
in :data:`SESSION_HOOKS` on the same class (they forget per-transaction caches),
the mapper hooks forgetting a session's status catalog when its flush
writes statuses or status lists (:func:`stalker_core.models.task.status_lookup.install`),
and the events noting dependency rows not flushed yet
(:func:`stalker_core.models.task.ancestry.install`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, object_session

from stalker_core.exceptions import ConfigError
from stalker_core.models import mixins, shot, ticket, user
from stalker_core.models.base import Base
from stalker_core.models.task import ancestry as task_ancestry
from stalker_core.models.task import rollup as task_rollup
from stalker_core.models.task import settle as task_settle
from stalker_core.models.task import status_lookup, time_log
from stalker_core.models.version import numbering
from stalker_core.orm import stored_links
from stalker_core.orm._sqla_private import share_flush_memos
from stalker_core.orm.session import StalkerSession


@dataclass(frozen=True)
class FlushStep:
    """One named rule of the flush pipeline.

    :param name: a short name, for documentation, tests and tracebacks.
    :param run: called with the flushing session before SQLAlchemy computes
        the unit of work; it may change, add or refuse objects (by raising).
    """

    name: str
    run: Callable[[Session], None]


#: The steps, in the order they run (see the module docstring for why).
STEPS: tuple[FlushStep, ...] = (
    FlushStep("task_statuses", task_settle.settle_statuses),
    FlushStep("default_statuses", mixins.default_statuses),
    FlushStep("time_logs", time_log.check_at_flush),
    FlushStep("shot_codes", shot.check_codes),
    FlushStep("user_logins", user.check_unique_logins),
    FlushStep("ticket_numbers", ticket.number_and_open),
    FlushStep("version_numbers", numbering.finalize_numbers),
)


def run_steps(session: Session, flush_context: Any = None, _objects: Any = None) -> None:
    """The ``before_flush`` listener: run every step of :data:`STEPS`, in order.

    It also hands the unit of work the memos kept between flushes
    (:func:`stalker_core.orm._sqla_private.share_flush_memos`) and, last,
    writes the links of new objects to stored ones as foreign keys
    (:func:`stalker_core.orm.stored_links.detach_stored_links`).
    """
    if flush_context is not None:
        share_flush_memos(flush_context)
    for step in STEPS:
        step.run(session)
    # after the steps, which read and set links: the links of new objects to
    # stored ones become foreign keys, outside the unit of work's sort
    stored_links.detach_stored_links(session, flush_context, _objects)


def _after_flush_postexec(session: Session, _flush_context: Any) -> None:
    numbering.forget_pending(session)
    task_ancestry.forget_moves(session)
    task_ancestry.forget_dependency_edits(session)
    task_ancestry.forget_chain(session)


def _statement_run(orm_execute_state: Any) -> None:
    """A statement other than a SELECT through ``session.execute()`` (an ORM bulk
    UPDATE, ``text(...)``) may change stored task rows: the kept ones go."""
    if not orm_execute_state.is_select:
        task_ancestry.forget_chain(orm_execute_state.session)


def _after_soft_rollback(session: Session, _previous_transaction: Any) -> None:
    numbering.forget_pending(session)
    numbering.forget_known_numbers(session)
    task_rollup.forget_pushed(session, rolled_back=True)
    task_ancestry.forget_written(session, rolled_back=True)
    task_ancestry.forget_chain(session)
    status_lookup.forget_statuses(session)  # a rolled-back savepoint may have added some


def _after_rollback(session: Session) -> None:
    task_settle.after_rollback(session)
    task_ancestry.forget_dependency_edits(session)


def _after_commit(session: Session) -> None:
    task_settle.after_commit(session)
    task_rollup.forget_pushed(session, rolled_back=False)
    task_ancestry.forget_written(session, rolled_back=False)
    task_ancestry.forget_chain(session)


#: ``(session event, listener)`` pairs registered beside :func:`run_steps`.
SESSION_HOOKS: tuple[tuple[str, Callable[..., None]], ...] = (
    ("before_flush", run_steps),
    # the versions registered as pending are in the database now, and the
    # moves of tasks and dependency edits: the stored rows are the objects again
    ("after_flush_postexec", _after_flush_postexec),
    # the stored task rows kept for roll-ups, after an UPDATE they did not see
    ("do_orm_execute", _statement_run),
    # pending versions, remembered maxima, parents' sums and statuses written
    # in the database, and the status catalog die with the (sub)transaction
    ("after_soft_rollback", _after_soft_rollback),
    # the status catalog and the calendar may be stale after the transaction
    ("after_rollback", _after_rollback),
    ("after_commit", _after_commit),
)


def require_stalker_session(mapper: Any, connection: Any, target: Any) -> None:
    """Refuse to insert a model object through a session that skips the flush rules.

    Registered on the models' ``Base`` for ``before_insert`` (per mapped class,
    never on SQLAlchemy's ``Session``): a plain ``sqlalchemy.orm.Session``
    would store a Task without its first status, a Ticket without a number or
    a duplicate shot code, silently.

    :raises ConfigError: naming the object and the session class to use.
    """
    session = object_session(target)
    if session is not None and not isinstance(session, StalkerSession):
        raise ConfigError(
            f"{type(target).__name__} {getattr(target, 'name', '')!r} is being saved by a "
            f"{type(session).__module__}.{type(session).__qualname__}, which skips "
            "stalker_core's flush rules; use stalker_core.orm.session.StalkerSession(engine) "
            "(or DBSession) instead"
        )


def install() -> None:
    """Register :data:`SESSION_HOOKS` on :class:`StalkerSession`, the session guard, the
    status catalog's hooks and the dependency edits' events.

    Idempotent. The guard (:func:`require_stalker_session`) is registered on
    the models' ``Base``, so it runs only for stalker_core's own objects.
    """
    for name, listener in SESSION_HOOKS:
        if not event.contains(StalkerSession, name, listener):
            event.listen(StalkerSession, name, listener)
    if not event.contains(Base, "before_insert", require_stalker_session):
        event.listen(Base, "before_insert", require_stalker_session, propagate=True)
    status_lookup.install()
    task_ancestry.install()
