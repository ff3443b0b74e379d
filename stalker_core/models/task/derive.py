"""A container's status from its children's.

A container is WFD when all its children are, RTS when none has started,
CMPL when all are done (CMPL or STOP), else WIP (:func:`derive_code`). After
one child moved, the container's own status often tells the answer alone
(:func:`derive_after_change`); else the children's statuses are read as rows,
the children in the session counting with their in-memory state
(:func:`child_codes`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session, object_session
from sqlalchemy.orm.util import identity_key

from stalker_core.models.base import mapped_class
from stalker_core.models.task.ancestry import stored_children
from stalker_core.models.task.readiness import deleted_in, initial_code
from stalker_core.models.task.status_lookup import DONE, NOT_STARTED, code_for_id, code_of

if TYPE_CHECKING:
    from stalker_core.models.task.model import Task


def derive_code(codes: Iterable[str]) -> str | None:
    """A container's status from its children's: WFD, RTS, CMPL or WIP."""
    found = set(codes)
    if not found:
        return None
    if found <= {"WFD"}:
        return "WFD"
    if found <= NOT_STARTED:
        return "RTS"
    if found <= DONE:
        return "CMPL"
    return "WIP"


#: what each status of a container says of all its children:
#: (all WFD, all not started, all done) - the questions :func:`derive_code` asks
_SAYS_OF_ALL: dict[str, tuple[bool, bool, bool]] = {
    "WFD": (True, True, False),
    "RTS": (False, True, False),
    "CMPL": (False, False, True),
    "WIP": (False, False, False),
}
_ASKED: tuple[frozenset[str], ...] = (frozenset({"WFD"}), NOT_STARTED, DONE)


def derive_after_change(
    container_code: str | None, old: str | None, new: str, *, only_child: bool = False
) -> str | None:
    """A container's status after one child moved from ``old`` to ``new``, if that alone tells.

    The container's current status answers the three questions of
    :func:`derive_code` for all of its children. The moved child answers them
    anew: "no" settles a question; "yes" keeps the old answer when the child
    said "yes" before too. Only a child that starts to say "yes" leaves the
    question open (are all the others saying "yes" as well?): then ``None``,
    and the other children must be read.

    :param only_child: the moved child is the container's only child.
    :returns: the derived code, or ``None`` when the other children decide it.
    """
    before = _SAYS_OF_ALL.get(container_code or "")
    if before is None or old is None:
        return None
    after: list[bool] = []
    for all_before, members in zip(before, _ASKED, strict=True):
        if new not in members:
            after.append(False)
        elif old in members:
            after.append(all_before)
        elif only_child:
            after.append(True)
        else:
            return None
    all_wfd, all_not_started, all_done = after
    if all_wfd:
        return "WFD"
    if all_not_started:
        return "RTS"
    return "CMPL" if all_done else "WIP"


def effective_code(task: Task) -> str:
    """``task``'s status code; a task without one yet counts with the one it will get."""
    code = code_of(task)
    if code is not None:
        return code
    if task.child_count:
        return derive_code(effective_code(c) for c in task.children) or "RTS"
    return initial_code(task)


def child_codes(
    task: Task, *, leaving: Task | None = None, joining: Task | None = None
) -> list[str]:
    """The status codes of ``task``'s children without loading them as objects.

    A loaded ``children`` collection is used as it is. Otherwise one query
    reads ``(id, status_id)`` of the stored children, and the children that
    are in the session (changed, moved in or out, new) count with their
    in-memory state: the result is right before a flush too.

    :param leaving, joining: a child whose move out of or into ``task`` is
        being validated (not in ``parent`` nor in ``children`` yet).
    """
    state = sa_inspect(task)
    session = object_session(task)
    extra = [joining] if joining is not None else []
    if session is None or state.key is None or "children" in state.dict:
        kids = [c for c in task.children if c is not leaving and c not in deleted_in(session)]
        return [effective_code(c) for c in kids + [j for j in extra if j not in kids]]
    return stored_child_codes(session, state.key[1][0], task, leaving=leaving, joining=joining)


def stored_child_codes(
    session: Session,
    parent_id: int,
    parent: Task | None,
    *,
    leaving: Task | None = None,
    joining: Task | None = None,
) -> list[str]:
    """:func:`child_codes` of the stored task ``parent_id`` (``parent``: its object,
    ``None`` when it is not in the session: no object in memory names it then)."""
    task_cls = mapped_class("Task")
    codes: list[str] = []
    seen: set[int] = set()
    for cid, sid in stored_children(session, parent_id):
        seen.add(cid)
        obj = session.identity_map.get(identity_key(task_cls, cid))
        if obj is not None:
            if obj in session.deleted or obj is leaving:
                continue
            if "parent" in obj.__dict__ and obj.__dict__["parent"] is not parent:
                continue  # moved away, not flushed yet
            codes.append(effective_code(obj))
        else:
            codes.append(code_for_id(session, sid) or "RTS")
    if parent is None:
        return codes
    extra = [joining] if joining is not None else []
    for obj in [*session.new, *session.dirty, *extra]:
        if isinstance(obj, task_cls) and (obj.__dict__.get("parent") is parent or obj is joining):
            if obj is not leaving and (obj.id is None or obj.id not in seen):
                seen.add(obj.id)
                codes.append(effective_code(obj))
    return codes
