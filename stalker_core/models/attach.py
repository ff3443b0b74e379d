"""Attach-cascade: an object linked to a stored object joins that object's session.

``Task(parent=shot)`` or ``Version(task=t)`` put the new object in the
session of the object it is linked to (or the other way round), so the next
``commit()`` saves it without an explicit ``add()``: the tutorial relies on
it, and SQLAlchemy 2 no longer cascades along backrefs by itself.
:func:`install_attach_cascade` gives every relationship one listener (a
``mapper_configured`` listener registered on the declarative base);
:func:`add_unlinked` adds a new object that holds nothing yet without
walking its cascades.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Mapper
from sqlalchemy.orm.attributes import instance_state

from stalker_core.orm import _sqla_private as sqla_private

#: (mapper, keys known stored) -> the relationship keys that count as held
_RELATION_KEYS: dict[tuple[Any, frozenset[str]], frozenset[str]] = {}


def add_unlinked(session: Any, obj: Any, *, stored: frozenset[str] = frozenset()) -> None:
    """``session.add(obj)`` for a new object that holds no related object yet.

    ``Session.add()`` walks every save-update cascade of the object's mapper
    (two dozen relationships for a Task) to find related objects to add too,
    and on through everything those hold; an object that holds none
    (checked: no relationship key in its state) skips that walk. Anything
    else takes the ordinary ``session.add()``.

    :param stored: relationship keys whose values the caller knows to be
        stored objects of ``session`` already (a new Version's ``task``): the
        walk would add nothing through them, so they do not count as held.
    """
    state = instance_state(obj)
    if state.key is not None:
        session.add(obj)
        return
    mapper = state.mapper
    holds = _RELATION_KEYS.get((mapper, stored))
    if holds is None:
        holds = _RELATION_KEYS[(mapper, stored)] = frozenset(
            r.key for r in mapper.relationships if r.key not in stored
        )
    if not holds.isdisjoint(state.dict) or not sqla_private.add_without_cascade(session, state):
        session.add(obj)


def _join_session(state: Any, value: Any, *_: Any) -> Any:
    # ``state`` is the owner's InstanceState (raw listener; retval, so no
    # wrapper call either): the common case, both objects already in the same
    # session (or both in none), costs one comparison of session ids
    if value is None:
        return value
    try:
        other_state = instance_state(value)
    except AttributeError:  # not a mapped object: the type check refuses it
        return value
    if sqla_private.same_session(other_state, state):
        return value
    owner = state.session
    other = other_state.session
    if owner is not None and other is None:
        owner.add(value)
    elif other is not None and owner is None:
        obj = state.obj()
        if obj is not None:  # None: the owner was garbage collected (nothing to add)
            other.add(obj)
    return value


def install_attach_cascade(mapper: Mapper[Any], cls: type) -> None:
    # a Shot loaded through a Task query: its own table's SELECT built once
    sqla_private.memoize_subclass_loads(mapper)
    for rel in mapper.relationships:
        if rel.parent is not mapper or rel.viewonly:
            continue
        # a collection takes objects through "append" (a list assigned too, item
        # by item), a scalar reference through "set": one listener each
        event.listen(
            getattr(cls, rel.key), "append" if rel.uselist else "set", _join_session,
            propagate=True, raw=True, retval=True,
        )
