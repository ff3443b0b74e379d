"""Links of new objects to stored objects, written as foreign keys instead of sorted by the flush.

A flush of linked entities is always cyclic for SQLAlchemy: every model class
shares the ``simple_entities`` base table, so a Task pointing at its Project
(or Status, or StatusList) is, to the unit of work, a row of
``simple_entities`` pointing at another. SQLAlchemy then sorts the flush
object by object, and each link of each new object becomes a record of its
own, tied by dependency edges to the object's INSERT, only to copy the
stored object's id into the new row's foreign key (100 shots x 20 tasks:
6,300 of the flush's 16,355 records are ``status``, ``status_list`` and
``project`` links to stored objects).

:func:`detach_stored_links` (a ``before_flush`` hook of
:class:`~stalker_core.orm.session.StalkerSession`, registered after the
model's flush steps, which may still read or set those links) does that
copy itself: for a new object linked through a many-to-one relationship to
an object already stored in the same session, it writes the stored object's
id into the foreign key and takes the link out of the object's state for
the length of the flush, so the unit of work has nothing to sort for it.
:func:`reattach_stored_links` puts every link back when the flush ends: as
stored (committed) when it succeeded, exactly as it was (changed, so a
retried flush writes it again) when it failed. ``StalkerSession.flush``
calls it either way.

Only the plain case is taken: a many-to-one relationship without
``post_update`` or a secondary table, whose remote side is the target's
primary key, set on a pending object to a stored object of the same
session that is not being deleted. Everything else goes through
SQLAlchemy's unit of work as before.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Mapper, RelationshipProperty, Session
from sqlalchemy.orm.interfaces import MANYTOONE

from stalker_core.orm import _sqla_private as sqla_private

#: key of ``Session.info`` holding the links taken out for the current flush
_DETACHED = "stalker_core.detached_links"

#: mapper -> its plain many-to-one relationships: (key, foreign key attribute keys)
_PLAIN: dict[Mapper[Any], tuple[tuple[str, tuple[str, ...]], ...]] = {}


def _plain_links(mapper: Mapper[Any]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The relationships of ``mapper`` :func:`detach_stored_links` may take (cached)."""
    found = _PLAIN.get(mapper)
    if found is not None:
        return found
    links = []
    for rel in mapper.relationships:
        if not _is_plain(rel):
            continue
        target = rel.mapper
        pairs = list(rel.local_remote_pairs or ())
        try:
            # the remote side is the target's identity (its id, whichever
            # table of a joined-inheritance target names it)
            remote = [target.get_property_by_column(r) for _l, r in pairs]
            identity = [target.get_property_by_column(c) for c in target.primary_key]
            fk_keys = tuple(mapper.get_property_by_column(local).key for local, _r in pairs)
        except Exception:  # noqa: BLE001 - a column not mapped there: leave it to SQLAlchemy
            continue
        if remote != identity:
            continue
        links.append((rel.key, fk_keys))
    found = _PLAIN[mapper] = tuple(links)
    return found


def _is_plain(rel: RelationshipProperty[Any]) -> bool:
    return (
        rel.direction is MANYTOONE
        and not rel.viewonly
        and not rel.post_update
        and rel.secondary is None
        and not rel.uselist
    )


def detach_stored_links(session: Session, _flush_context: Any = None, objects: Any = None) -> None:
    """``before_flush``: write the links of new objects to stored objects as foreign keys.

    See the module docstring. The links taken out are remembered in
    ``session.info`` until :func:`reattach_stored_links`.

    :param objects: the objects a ``flush(objects)`` is limited to; only
        those of them that are new are taken.
    """
    detached: list[tuple[Any, str, Any, Any]] = session.info.setdefault(_DETACHED, [])
    deleted = session.deleted
    new = list(session.new)
    if objects is not None:
        wanted = {id(o) for o in objects}
        new = [o for o in new if id(o) in wanted]
    for obj in new:
        state = inspect(obj)
        links = _plain_links(state.mapper)
        if not links:
            continue
        values = state.dict
        for key, fk_keys in links:
            target = values.get(key)
            if target is None:
                continue
            other = inspect(target)
            identity = other.key
            if (
                identity is None
                or not sqla_private.same_session(other, state)
                or other.deleted
                or target in deleted
            ):
                continue
            for fk_key, value in zip(fk_keys, identity[1], strict=True):
                values[fk_key] = value
            detached.append((state, key, target, sqla_private.take_out_link(state, key)))


def reattach_stored_links(session: Session, *, succeeded: bool) -> None:
    """Put back the links :func:`detach_stored_links` took out for the flush that just ended.

    :param succeeded: the flush stored the objects: the links go back as
        stored values; otherwise they go back as they were (still changed).
    """
    detached = session.info.pop(_DETACHED, None)
    if not detached:
        return
    for state, key, target, was in detached:
        sqla_private.put_back_link(state, key, target, was, stored=succeeded)
