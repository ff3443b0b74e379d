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

Links between two new objects are the other half of the sort. A pair of
relationships declared with ``back_populates`` (``Task.parent`` and
``Task.children``, ``Task.task_depends_on`` and ``TaskDependency.task``)
is processed twice by the unit of work, once per side, and both sides copy
the same id into the same foreign key and order the same two INSERTs. When
both ends are new and the other side holds the link in its loaded value,
one side does all the work: :func:`detach_stored_links` takes the other out
for the flush in the same way (:func:`_covered_links`). The side taken is
fixed per pair: within one inheritance hierarchy (every entity shares
``simple_entities``) the many-to-one side, which has a record per child
where the one-to-many side has one per parent (100 shots x 20 tasks: 2,000
``parent`` records against 100 ``children`` ones); across hierarchies the
side owned by the entity, so the work stays with the side outside the
entities' cyclic sort (a Task's ``task_depends_on`` and
``task_dependent_of``, 3,800 records, against the aggregated many-to-one
sides of ``TaskDependency``). Only a full flush takes them (``flush(objects)``
may leave the other end out).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Mapper, RelationshipProperty, Session
from sqlalchemy.orm.attributes import instance_state
from sqlalchemy.orm.interfaces import MANYTOONE, ONETOMANY

from stalker_core.orm import _sqla_private as sqla_private

#: key of ``Session.info`` holding the links taken out for the current flush
_DETACHED = "stalker_core.detached_links"
#: ... the appends queued in stored objects' collections taken out for it
_QUEUED = "stalker_core.queued_appends"
#: ... the stored objects left out of it (nothing else to write)
_UNCHANGED = "stalker_core.unchanged_owners"

#: a plain many-to-one relationship: its key, its foreign key attribute keys,
#: and the key of its one-to-many reverse side (``back_populates``) or None
_Plain = tuple[str, tuple[str, ...], str | None]

#: mapper -> its plain many-to-one relationships
_PLAIN: dict[Mapper[Any], tuple[_Plain, ...]] = {}


def _plain_links(mapper: Mapper[Any]) -> tuple[_Plain, ...]:
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
        reverse = _reverse(rel)
        back = reverse.key if reverse is not None and reverse.direction is ONETOMANY else None
        links.append((rel.key, fk_keys, back))
    found = _PLAIN[mapper] = tuple(links)
    return found


#: mapper -> its relationships whose reverse side does their work when both
#: ends are new: (key, reverse key, is many-to-one)
_COVERED: dict[Mapper[Any], tuple[tuple[str, str, bool], ...]] = {}


def _covered_links(mapper: Mapper[Any]) -> tuple[tuple[str, str, bool], ...]:
    """The relationships of ``mapper`` whose reverse side does the flush's work (cached).

    A pair declared with ``back_populates`` on both sides, one-to-many and
    many-to-one, neither with ``post_update``, a secondary table or
    ``viewonly``; of the pair, the side named in the module docstring.
    """
    found = _COVERED.get(mapper)
    if found is not None:
        return found
    links = []
    for rel in mapper.relationships:
        reverse = _reverse(rel)
        if reverse is None:
            continue
        same_hierarchy = rel.parent.base_mapper is rel.mapper.base_mapper
        if rel.direction is MANYTOONE and reverse.direction is ONETOMANY and same_hierarchy:
            links.append((rel.key, reverse.key, True))
        elif rel.direction is ONETOMANY and reverse.direction is MANYTOONE and not same_hierarchy:
            links.append((rel.key, reverse.key, False))
    found = _COVERED[mapper] = tuple(links)
    return found


def _reverse(rel: RelationshipProperty[Any]) -> RelationshipProperty[Any] | None:
    """The other side of ``rel`` when both are plain and name each other, else ``None``."""
    if not rel.back_populates or not _is_simple(rel):
        return None
    reverse = rel.mapper.relationships.get(rel.back_populates)
    if reverse is None or reverse.back_populates != rel.key or not _is_simple(reverse):
        return None
    return reverse


def _is_simple(rel: RelationshipProperty[Any]) -> bool:
    return not rel.viewonly and not rel.post_update and rel.secondary is None


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
    detached: list[tuple[Any, str, Any, Any, Any]] = session.info.setdefault(_DETACHED, [])
    deleted = session.deleted
    new = list(session.new)
    # the appends queued in stored objects' unloaded collections, taken out
    queued: list[tuple[Any, str, Any]] | None = None
    if objects is not None:
        wanted = {id(o) for o in objects}
        new = [o for o in new if id(o) in wanted]
    elif new:
        _detach_covered_links(session, new, detached)
        queued = session.info.setdefault(_QUEUED, [])
    for obj in new:
        state = instance_state(obj)
        links = _plain_links(state.mapper)
        if not links:
            continue
        values = state.dict
        for key, fk_keys, back in links:
            target = values.get(key)
            if target is None:
                continue
            other = instance_state(target)
            identity = other.key
            if (
                identity is None
                or not sqla_private.same_session(other, state)
                or other.deleted
                or target in deleted
            ):
                continue
            # the keys' values before: a failed flush puts them back with the link
            written = tuple((fk_key, values.get(fk_key, _ABSENT)) for fk_key in fk_keys)
            for fk_key, value in zip(fk_keys, identity[1], strict=True):
                values[fk_key] = value
            detached.append((state, key, target, sqla_private.take_out_link(state, key), written))
            if (
                queued is not None
                and back is not None
                and sqla_private.take_out_queued_append(other, back, obj)
            ):
                queued.append((other, back, obj))
    if queued:
        _leave_out_unchanged_owners(session, queued)


def _leave_out_unchanged_owners(session: Session, queued: list[tuple[Any, str, Any]]) -> None:
    """Leave out of the flush the stored objects whose only change was a queued append.

    A new object linked to a stored one through a plain many-to-one whose
    reverse side is a one-to-many queues itself in the stored object's
    unloaded collection, and that marks the stored object changed; its
    foreign key, written by :func:`detach_stored_links`, is the whole work.
    With the append taken out, a stored object with nothing else to write is
    marked unchanged, as the flush would leave it (``_sqla_private`` item 17).
    Its mapper's ``before_update``/``after_update`` events, which SQLAlchemy
    calls for every changed object of a flush even without a row to write,
    are then not called for it (nothing is written for it either way), also
    when it was ``flag_dirty()``-ed. A ``before_flush`` hook that runs after
    this one and loads the stored object's collection sees it without the
    new object (its row is not written yet); the new object joins the loaded
    collection when the flush succeeds (:func:`reattach_stored_links`).
    """
    unchanged: list[Any] = session.info.setdefault(_UNCHANGED, [])
    for owner in {id(owner): owner for owner, _key, _obj in queued}.values():
        if sqla_private.leave_out_unchanged(session, owner):
            unchanged.append(owner)


def _detach_covered_links(
    session: Session, new: list[Any], detached: list[tuple[Any, str, Any, Any, Any]]
) -> None:
    """Take out the links between new objects whose reverse side does the work.

    See the module docstring; ``new`` are all the new objects of the flush.
    """
    pending = {id(o) for o in new}
    for obj in new:
        state = instance_state(obj)
        links = _covered_links(state.mapper)
        if not links:
            continue
        values = state.dict
        for key, reverse_key, many_to_one in links:
            value = values.get(key)
            if value is None or sqla_private.has_pending_change(state, key):
                continue
            if many_to_one:
                covered = id(value) in pending and _holds(value, reverse_key, obj)
            else:
                covered = bool(value) and all(
                    id(other) in pending and other.__dict__.get(reverse_key) is obj
                    for other in value
                )
            if covered:
                detached.append((state, key, value, sqla_private.take_out_link(state, key), ()))


def _holds(owner: Any, key: str, obj: Any) -> bool:
    """``owner``'s loaded collection ``key`` holds ``obj`` (and has no pending change)."""
    state = instance_state(owner)
    collection = state.dict.get(key)
    if collection is None or sqla_private.has_pending_change(state, key):
        return False
    return any(item is obj for item in collection)


def reattach_stored_links(session: Session, *, succeeded: bool) -> None:
    """Put back the links :func:`detach_stored_links` took out for the flush that just ended.

    :param succeeded: the flush stored the objects: the links go back as
        stored values; otherwise they go back as they were (still changed),
        with the foreign keys written for them as they were before.

    After a successful flush, a stored object left out of it is recorded
    as changed in the transaction, as the flush records the objects it
    writes, so that rolling back a savepoint expires it too (its
    collection may hold the new object); and a new object whose queued
    append was taken out is added to its owner's collection when something
    loaded that collection meanwhile (a later ``before_flush`` hook reading
    it saw the rows before the INSERT).
    """
    queued = session.info.pop(_QUEUED, None)
    unchanged = session.info.pop(_UNCHANGED, None)
    if succeeded:
        if unchanged:
            sqla_private.note_written(session, unchanged)
        for owner, key, obj in queued or ():
            sqla_private.add_loaded_member(owner, key, obj)
    # a flush that failed inside its transaction rolled it back, and the rollback
    # expired the stored objects (queued appends included), as it would have
    # expired them in the flush: only one refused before that gets them back
    elif session.is_active:
        for owner in unchanged or ():
            sqla_private.mark_changed(session, owner)
        for owner, key, obj in queued or ():
            sqla_private.put_back_queued_append(owner, key, obj)
    detached = session.info.pop(_DETACHED, None)
    if not detached:
        return
    for state, key, target, was, written in detached:
        sqla_private.put_back_link(state, key, target, was, stored=succeeded)
        if not succeeded:
            values = state.dict
            for fk_key, before in written:
                if before is _ABSENT:
                    values.pop(fk_key, None)
                else:
                    values[fk_key] = before


#: "the object had no value for that key" (see :func:`detach_stored_links`)
_ABSENT: Any = object()
