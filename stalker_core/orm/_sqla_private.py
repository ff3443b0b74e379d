"""Every use of SQLAlchemy's private API in stalker_core, in one place.

SQLAlchemy has no public way to do the things below at the cost
stalker_core needs, so they touch its internals here and nowhere else.
``tests/orm/test_sqla_private.py`` exercises each private name listed in
:data:`PRIVATE_NAMES`: a SQLAlchemy upgrade that renames or removes one fails
that test, naming it. Written against SQLAlchemy 2.1.

1. :func:`pending_change_count` - the size of the next flush, read before each
   flush by :class:`~stalker_core.orm.session.StalkerSession` to decide whether
   to pause the cyclic GC. The public ``Session.new``/``deleted``/``dirty``
   build a set per call: about 0.26 ms for 2,000 new objects and 0.9 ms for
   2,000 changed ones (a flush updating 2,000 rows takes about 9 ms on SQLite),
   against under 1 µs for the private counters.
2. :func:`add_without_cascade` and :func:`same_session` - ``Session.add()``
   walks every save-update cascade of the object's mapper (two dozen for a
   Task: about 84 µs per new Task); an object that holds no related object yet
   needs none of it (about 8 µs). :func:`same_session` compares the session
   ids of two instance states without looking the sessions up (0.3 µs
   against 1.4 µs for the public ``InstanceState.session``); it runs on every
   relationship change of every object.
4. :func:`inline_foreign_keys` - a ``create_all`` on PostgreSQL marks the
   ``use_alter`` foreign keys of the shared ``MetaData`` "ALTER only"
   (``ForeignKeyConstraint._create_rule``); SQLite cannot add a constraint
   with ALTER, so the SQLite schema writer resets the mark to write them inline.
3. :class:`UniqueAssociationList` - an association-proxy list whose ``append``
   of a present member is a no-op. The documented ``proxy_factory`` hook of
   ``association_proxy`` must return an object that SQLAlchemy then drives
   through its private collection protocol (``_bulk_replace``), so the list
   subclasses SQLAlchemy's own private list proxy.

5. :func:`memoize_subclass_loads` - loading a Shot (a mapper with
   ``polymorphic_load="selectin"``) through a query of its parent class Task
   makes SQLAlchemy build the second SELECT, the one of the Shot's own table,
   anew for every query (``Mapper._subclass_load_via_in``: loader options for
   each of the Shot's ~60 attributes, about 1 ms on this machine); it caches
   that statement only for a query of the base-most class (SimpleEntity). A
   lazy ``task.parent`` that is a Shot paid it each time. The statement
   depends only on the two mappers, so it is cached per pair here.

6. :func:`share_flush_memos` - every flush builds a new unit of work
   (``UOWTransaction``), and with it a new memo of "does this relationship
   belong to that mapper?" (``UOWTransaction._mapper_for_dep``), asked for
   every relationship of every mapper in the flush times every mapped
   subclass of the relationship's owner: the relationships declared on
   ``SimpleEntity`` (``created_by``, ``type``, ...) are asked about all the
   ~50 mapped classes. The answers depend only on the mappers, so one memo
   is shared by all flushes of the process: a flush of one new Version made
   about 250 of these lookups (about 0.4 ms) before any row was written.

7. :func:`visit_only_flushed_mappers` - while it sorts the work, the unit of
   work asks every relationship of every flushed mapper for the objects of
   the flush it concerns (``_IterateMappersMixin._mappers`` of its
   ``_Preprocess``/``_ProcessAll`` records): it walks every mapper below the
   relationship's owner (about 50 below ``SimpleEntity``, through a sequence
   of weak references) and looks up each one's objects. A flush of one new
   Version made about 600 such visits for the ~3 mappers that had objects
   (with item 8, about 0.3 ms of a 2 ms one-version commit). For the units
   of work of stalker_core's sessions (marked by :func:`share_flush_memos`)
   only the mappers that have objects in the flush are visited; the objects
   found are the same. Other sessions keep SQLAlchemy's own walk.

8. :func:`skip_tables_without_rows` - to write the objects of a flush, the
   unit of work goes through every table of their inheritance hierarchy
   (``persistence._save_obj``: the ~42 tables below ``simple_entities``) and
   for each one prepares an UPDATE and an INSERT, then finds no row for it
   (``_emit_update_statements``/``_emit_insert_statements``): 84 calls for the
   two rows of one new Version. Every flush also runs the deletion of its
   mappers' objects (``persistence._delete_obj``), which goes through the
   same tables to delete nothing when the flush deletes nothing. For
   stalker_core's units of work a table without rows, and a deletion
   without objects, return at once; the statements sent are the same.

9. :func:`blank_history_of_untouched` - before it sorts the work, the unit of
   work asks each relationship's history of every object of the flush
   (``UOWTransaction.get_attribute_history``: 19 questions per object in a
   flush of 2,000 new tasks, 80,000 in all), and remembers each answer. Most
   relationships of a new or changed object were never touched: no value in
   its state, no committed value, no pending change. Without leave to load
   (a "passive" question) SQLAlchemy's answer is then always the empty
   history; for stalker_core's units of work it is given at once.

10. :func:`take_out_link` and :func:`put_back_link` - the two state edits of
    :mod:`stalker_core.orm.stored_links`: a link of a new object leaves its
    state (value and committed value) for the length of a flush and comes
    back afterwards, stored or still changed. :func:`has_pending_change`
    tells whether a collection holds changes not applied to its (unloaded)
    value, which stored_links then leaves to SQLAlchemy.

11. :func:`untouched_relationships_unchanged` - to decide whether a
    relationship needs any work in a flush, the unit of work asks the history
    of that relationship for every object of the flush until one has a change
    (``_DependencyProcessor.prop_has_changes``); for a relationship nobody
    touched it asks them all (100 shots x 20 tasks: about 60,000 questions,
    each answered "empty" by item 9). For stalker_core's units of work, when
    no object of the flush holds a value, a committed value or a pending
    change of that relationship, the answer SQLAlchemy gives for "no history
    anywhere" is given at once.

12. :func:`save_only_tables_with_rows` - item 8 still leaves the unit of
    work walking every table of the hierarchy to save the objects of a
    flush (``persistence._save_obj`` over ``Mapper._sorted_tables``), making
    two row generators per table and asking each for its first row: 42
    tables for the two rows of one new Version. For stalker_core's units of
    work the walk visits only the tables of the flushed objects' mappers, in
    the same order (the others have no row); the base mapper's table map is
    replaced by a dict subclass whose ``items()`` is filtered only while
    such a save runs in the current context (thread or greenlet).
    SQLAlchemy reads that map nowhere else during a save (mapper events may
    not start other session operations there, SQLAlchemy's own rule).

13. :func:`quick_attribute_dispatch` - the first use of the events of a
    mapped attribute (``InstrumentedAttribute.dispatch``) asks whether it has
    ``_slots_dispatch`` yet (``event.base.slots_dispatcher``). It has not,
    and the attribute answers that through its ``__getattr__``: SQLAlchemy
    looks for a memoized attribute of that name, then asks the attribute's
    comparator, which builds the column expression and asks it, and then
    formats an ``AttributeError`` message. That happens once for each of the
    1,376 attributes our mapped classes get (every subclass its own), about
    30 ms of the 390 ms of importing the models and configuring the mappers
    on this machine. While :mod:`stalker_core.models` is imported, the
    question is answered at once; the answer is the same (no such
    attribute). The class is restored afterwards, also when the import fails.

14. :func:`share_equivalent_columns` - every mapper keeps a map of the
    columns its inheritance conditions equate (``Mapper._equivalent_columns``,
    memoized), used while its relationships are set up. SQLAlchemy builds it
    for each mapper by walking the inheritance condition of every mapper of
    the hierarchy, although the map depends only on the hierarchy: the 43
    mappers below ``SimpleEntity`` made 43 x 42 walks. Before our registry is
    configured, the map is built once per hierarchy (by SQLAlchemy's own
    function) and each mapper of our registry that has none yet is given a
    copy, memoized as SQLAlchemy memoizes it (a mapper added to the
    hierarchy later clears it as before, and SQLAlchemy builds it anew).

17. :func:`take_out_queued_append`, :func:`put_back_queued_append`,
    :func:`leave_out_unchanged` and :func:`mark_changed` - a new TimeLog
    linked to a stored User queues itself in the User's unloaded
    ``time_logs`` (the back-reference: ``InstanceState._pending_mutations``)
    and so marks the User changed (``IdentityMap._modified``). The unit of
    work then takes the User into the flush, with every relationship of its
    mapper, only to find that the TimeLog's foreign key, written already by
    :mod:`stalker_core.orm.stored_links`, is all there is to do (a time log:
    26 of the flush's 84 preparation steps). stored_links takes the queued
    append out for the flush, and leaves out of it a stored object with
    nothing else to write, exactly as the flush would leave both when it
    succeeds; when it fails, both are put back. After a successful flush,
    :func:`note_written` records the objects left out in the transaction, as
    the flush records those it writes (``Session._register_altered``), so a
    savepoint rollback expires them too, and :func:`add_loaded_member` adds
    the new object to an owner's collection that something loaded during the
    flush, before the row was written (as a stored member, without events).

18. :func:`inserted_in_transaction` - whether an object's row was inserted by
    the session's current transaction (not committed yet): the transaction
    keeps those objects (``SessionTransaction._new``, per savepoint, merged
    into the enclosing transaction when a savepoint is released). A version
    whose row is not committed yet may still move to another file name (the
    save workflow skips a number whose file exists); one committed before
    may not leave its file behind (``Version.update_paths``).

Each helper keeps working (more slowly) when a private name disappears
where that is possible; the test is what fails loudly.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import chain
from typing import Any

from sqlalchemy.ext.associationproxy import _AssociationList
from sqlalchemy.orm import InstanceState, Mapper, QueryableAttribute, Session
from sqlalchemy.orm import attributes as _attributes
from sqlalchemy.orm import collections as _collections
from sqlalchemy.orm import dependency as _dependency
from sqlalchemy.orm import persistence as _persistence
from sqlalchemy.orm import unitofwork as _unitofwork

#: The private SQLAlchemy names used here, as ``(owner, name)``; the test
#: checks that each still exists where it is expected.
PRIVATE_NAMES: tuple[tuple[str, str], ...] = (
    ("Session", "_new"),
    ("Session", "_deleted"),
    ("IdentityMap", "_modified"),
    ("Session", "_save_or_update_impl"),
    ("InstanceState", "_orphaned_outside_of_session"),
    ("InstanceState", "session_id"),
    ("sqlalchemy.ext.associationproxy", "_AssociationList"),
    ("_AssociationList", "col"),
    ("_AssociationList", "_get"),
    ("_AssociationList", "_bulk_replace"),
    ("_AssociationList", "parent"),
    ("AssociationProxy", "_default_getset"),
    ("AssociationProxyInstance", "owning_class"),
    ("AssociationProxyInstance", "parent"),
    ("ForeignKeyConstraint", "_create_rule"),
    ("Mapper", "_subclass_load_via_in"),
    ("UOWTransaction", "_mapper_for_dep"),
    ("UOWTransaction", "mappers"),
    ("sqlalchemy.orm.unitofwork", "_IterateMappersMixin"),
    ("_IterateMappersMixin", "_mappers"),
    ("sqlalchemy.orm.persistence", "_emit_insert_statements"),
    ("sqlalchemy.orm.persistence", "_emit_update_statements"),
    ("sqlalchemy.orm.persistence", "_delete_obj"),
    ("UOWTransaction", "get_attribute_history"),
    ("InstanceState", "committed_state"),
    ("InstanceState", "_pending_mutations"),
    ("sqlalchemy.orm.dependency", "_DependencyProcessor"),
    ("_DependencyProcessor", "prop_has_changes"),
    ("sqlalchemy.orm.persistence", "_save_obj"),
    ("Mapper", "_sorted_tables"),
    ("Mapper", "_pks_by_table"),
    ("QueryableAttribute", "_slots_dispatch"),
    ("Mapper", "_equivalent_columns"),
    ("Mapper", "_set_memoized_attribute"),
    ("InstanceState", "_get_pending_mutation"),
    ("InstanceState", "_strong_obj"),
    ("InstanceState", "modified"),
    ("PendingCollection", "added_items"),
    ("PendingCollection", "deleted_items"),
    ("Session", "_register_altered"),
    ("CollectionAdapter", "append_without_event"),
    ("Session", "_transaction"),
    ("SessionTransaction", "_new"),
    ("SessionTransaction", "_parent"),
)


# -- 1. the size of the next flush -----------------------------------------------


def pending_change_count(session: Session) -> int:
    """Objects the next flush will insert, delete or update (an upper bound).

    A changed object that is also deleted counts twice; the count only
    decides whether a flush is big.
    """
    try:
        return (
            len(session._new)
            + len(session._deleted)
            + len(session.identity_map._modified)  # type: ignore[attr-defined]
        )
    except AttributeError:  # pragma: no cover - SQLAlchemy changed; the test says which
        return len(session.new) + len(session.deleted) + len(session.dirty)


# -- 2. adding without the cascade walk ------------------------------------------


def add_without_cascade(session: Session, state: InstanceState[Any]) -> bool:
    """Make the transient ``state`` pending in ``session`` without a cascade walk.

    The caller has checked that the object holds no related object (so the
    walk ``Session.add()`` does would find nothing).

    :returns: ``False`` (nothing done) when the state is not transient or
        SQLAlchemy offers no such path any more: call ``session.add()`` then.
    """
    save = getattr(session, "_save_or_update_impl", None)
    if save is None or state.key is not None or state.session_id is not None:
        return False
    # what Session.add() resets before saving: the object is no orphan of a
    # collection it was removed from outside any session
    state._orphaned_outside_of_session = False
    save(state)
    return True


def same_session(a: InstanceState[Any], b: InstanceState[Any]) -> bool:
    """``True`` when both states belong to the same session, or both to none."""
    return a.session_id == b.session_id


# -- 3. the unique association list ---------------------------------------------


class UniqueAssociationList(_AssociationList[Any]):
    """An association-proxy list where appending a present member is a no-op.

    Membership is tracked in a set of ids, rebuilt when the underlying
    collection changed behind the proxy's back (other length or list), so a
    bulk of appends stays linear.
    """

    _seen_key: tuple[int, int] | None = None
    _seen_ids: set[int]

    def _seen(self) -> set[int]:
        col = self.col
        key = (id(col), len(col))
        if self._seen_key != key:
            self._seen_ids = {id(self._get(link)) for link in col}
            self._seen_key = key
        return self._seen_ids

    def _note(self, value: Any) -> None:
        col = self.col
        self._seen_ids.add(id(value))
        self._seen_key = (id(col), len(col))

    def append(self, value: Any) -> None:
        if id(value) in self._seen():
            return
        super().append(value)
        self._note(value)

    def insert(self, i: int, value: Any) -> None:
        if id(value) in self._seen():
            return
        super().insert(i, value)
        self._note(value)

    def __contains__(self, value: object) -> bool:
        return id(value) in self._seen()

    def __setitem__(self, index: Any, value: Any) -> None:
        self._seen_key = None
        super().__setitem__(index, value)

    def __repr__(self) -> str:
        return repr(list(self))


def unique_list_factory(lazy_collection: Any, creator: Any, value_attr: str, parent: Any) -> Any:
    """``proxy_factory`` of ``association_proxy``: a :class:`UniqueAssociationList`."""
    getter, setter = parent.parent._default_getset(list)
    return UniqueAssociationList(lazy_collection, creator, getter, setter, parent)


def is_association_list(value: Any) -> bool:
    """``True`` for any association-proxy list (another object's ``users``, ...)."""
    return isinstance(value, _AssociationList)


def proxy_attribute(proxy: Any) -> tuple[str, str]:
    """``(owning class name, attribute name)`` of the association-proxy list ``proxy``.

    For error messages only (it scans the owning class).
    """
    instance = proxy.parent  # the AssociationProxyInstance
    owner = instance.owning_class
    descriptor = instance.parent  # the AssociationProxy on the class
    for klass in getattr(owner, "__mro__", ()):
        for name, value in vars(klass).items():
            if value is descriptor:
                return owner.__name__, name
    return getattr(owner, "__name__", "?"), instance.target_collection


# -- 4. foreign keys written inline ------------------------------------------------


def inline_foreign_keys(table: Any) -> None:
    """Clear the "ALTER only" mark an earlier ``create_all`` left on ``table``'s foreign keys.

    Afterwards ``CreateTable(table, include_foreign_key_constraints=...)`` writes
    every foreign key inside the ``CREATE TABLE`` (what SQLite needs).
    """
    for fk in table.foreign_key_constraints:
        fk._create_rule = None


# -- 5. the subclass SELECT of a polymorphic load, cached -----------------------


def memoize_subclass_loads(mapper: Mapper[Any]) -> None:
    """Cache the subclass SELECT of ``mapper`` per querying mapper (see item 5 above).

    Only ``mapper`` is changed (an attribute on that object), not SQLAlchemy's
    ``Mapper`` class: other mappers in the process keep their behaviour. A
    query through an alias (``aliased()``, ``with_polymorphic()``) is not
    cached. Idempotent.
    """
    build = getattr(type(mapper), "_subclass_load_via_in", None)
    if build is None or "_subclass_load_via_in" in vars(mapper):
        return
    cache: dict[tuple[Any, Any], Any] = {}
    bound = build.__get__(mapper)

    def cached(entity: Any, polymorphic_from: Any) -> Any:
        if getattr(entity, "is_aliased_class", True):
            return bound(entity, polymorphic_from)
        key = (entity, polymorphic_from)
        found = cache.get(key)
        if found is None:
            found = cache[key] = bound(entity, polymorphic_from)
        return found

    mapper._subclass_load_via_in = cached  # type: ignore[method-assign]


# -- 6. memos of the unit of work kept between flushes --------------------------


def _prop_of_mapper(key: tuple[Any, Any]) -> bool:
    """``(mapper, dependency processor)``: does the processor's relationship belong to ``mapper``?

    The same question, answered the same way, as SQLAlchemy's own memo.
    """
    mapper, dep = key
    return mapper._props.get(dep.key) is dep.prop  # type: ignore[no-any-return]


class _SharedMemo(dict[tuple[Any, Any], bool]):
    """A dict computing missing answers with :func:`_prop_of_mapper` (like SQLAlchemy's)."""

    def __missing__(self, key: tuple[Any, Any]) -> bool:
        self[key] = found = _prop_of_mapper(key)
        return found


#: the answers of :func:`_prop_of_mapper` for every flush of the process; it
#: holds only (mapper, relationship processor) pairs, a few hundred at most
_MAPPER_FOR_DEP = _SharedMemo()


#: the attribute marking a unit of work of stalker_core (see item 7 above)
_OURS = "_stalker_core_flush"


def share_flush_memos(flush_context: Any) -> None:
    """Give the unit of work ``flush_context`` the process-wide memo (item 6 above).

    Called from the ``before_flush`` listener, before SQLAlchemy sorts the
    work. A unit of work that already built its own memo keeps it. The unit
    of work is also marked as stalker_core's, so only the mappers with
    objects in it are visited (item 7, :func:`visit_only_flushed_mappers`).
    """
    memos = getattr(flush_context, "__dict__", None)
    if memos is None:
        return
    if "_mapper_for_dep" not in memos:
        memos["_mapper_for_dep"] = _MAPPER_FOR_DEP
    memos[_OURS] = True
    if not _SHORTCUTS_INSTALLED:
        install_flush_shortcuts()  # once per process, at its first flush


_SHORTCUTS_INSTALLED = False


def install_flush_shortcuts() -> None:
    """Install items 7, 8, 9, 11 and 12 (each idempotent; a missing private name skips its item).

    They act only on the units of work marked by :func:`share_flush_memos`.
    """
    global _SHORTCUTS_INSTALLED
    visit_only_flushed_mappers()
    skip_tables_without_rows()
    blank_history_of_untouched()
    untouched_relationships_unchanged()
    save_only_tables_with_rows()
    _SHORTCUTS_INSTALLED = True


# -- 7. the unit of work visits only the mappers with objects -------------------


def _flushed_mappers(record: Any, uow: Any) -> Any:
    """``_IterateMappersMixin._mappers`` for stalker_core's units of work (item 7).

    The mappers below the relationship's owner (or target) that have objects
    in the flush, instead of every mapper below it: the objects the caller
    collects from them are the same, since the others have none.
    """
    if _OURS not in uow.__dict__:
        return _SQLALCHEMY_MAPPERS(record, uow)
    dep = record.dependency_processor
    if record.fromparent:
        owner = dep.parent
        belongs = uow._mapper_for_dep
        return [
            m for m, states in list(uow.mappers.items())
            if states and m.isa(owner) and belongs[(m, dep)]
        ]
    target = dep.mapper
    return [m for m, states in list(uow.mappers.items()) if states and m.isa(target)]


_MIXIN: Any = getattr(_unitofwork, "_IterateMappersMixin", None)
#: SQLAlchemy's own walk (kept for other sessions' units of work)
_SQLALCHEMY_MAPPERS: Any = getattr(_MIXIN, "_mappers", None)


def visit_only_flushed_mappers() -> None:
    """Install :func:`_flushed_mappers` as the walk of the unit of work (item 7). Idempotent.

    It changes nothing for a unit of work not marked by
    :func:`share_flush_memos` (another library's session in the process).
    """
    if _MIXIN is None or _SQLALCHEMY_MAPPERS is None or _MIXIN._mappers is _flushed_mappers:
        return
    _MIXIN._mappers = _flushed_mappers


# -- 8. no statement preparation for tables without rows -------------------------

_NO_ROW = object()


def _rows_or_nothing(records: Any) -> Any:
    """An iterator over ``records`` when there is one, else ``None``."""
    rows = iter(records)
    first = next(rows, _NO_ROW)
    if first is _NO_ROW:
        return None
    return chain((first,), rows)


def _skipping_empty(emit: Any) -> Any:
    """Wrap ``_emit_insert_statements``/``_emit_update_statements`` (item 8 above)."""

    def emit_rows(base_mapper: Any, uow: Any, mapper: Any, table: Any, records: Any,
                  **kwargs: Any) -> Any:
        if uow is not None and _OURS in getattr(uow, "__dict__", ()):
            records = _rows_or_nothing(records)
            if records is None:
                return None  # what SQLAlchemy's returns for no rows
        return emit(base_mapper, uow, mapper, table, records, **kwargs)

    emit_rows.__wrapped__ = emit  # type: ignore[attr-defined]
    return emit_rows


def _deleting_only_objects(delete: Any) -> Any:
    """Wrap ``_delete_obj``: no walk through the tables when there is nothing to delete."""

    def delete_objects(base_mapper: Any, states: Any, uow: Any) -> Any:
        if uow is not None and _OURS in getattr(uow, "__dict__", ()):
            states = list(states)
            if not states:
                return None  # what SQLAlchemy's returns
        return delete(base_mapper, states, uow)

    delete_objects.__wrapped__ = delete  # type: ignore[attr-defined]
    return delete_objects


def skip_tables_without_rows() -> None:
    """Install the wrappers of item 8 in ``sqlalchemy.orm.persistence``. Idempotent.

    Units of work not marked by :func:`share_flush_memos` (other libraries'
    sessions, bulk operations) run SQLAlchemy's functions unchanged.
    """
    for name, wrap in (
        ("_emit_insert_statements", _skipping_empty),
        ("_emit_update_statements", _skipping_empty),
        ("_delete_obj", _deleting_only_objects),
    ):
        original = getattr(_persistence, name, None)
        if original is not None and not hasattr(original, "__wrapped__"):
            setattr(_persistence, name, wrap(original))


# -- 9. the empty history of an untouched relationship, at once -------------------

_UOW: Any = getattr(_unitofwork, "UOWTransaction", None)
#: SQLAlchemy's own (kept for other sessions' units of work)
_SQLALCHEMY_HISTORY: Any = getattr(_UOW, "get_attribute_history", None)
_CALLABLES_OK: Any = getattr(_attributes, "CALLABLES_OK", None)
_HISTORY_BLANK: Any = getattr(_attributes, "HISTORY_BLANK", None)


def _history(uow: Any, state: Any, key: str, passive: Any = None) -> Any:
    """``UOWTransaction.get_attribute_history`` for stalker_core's units of work (item 9)."""
    if passive is None:
        passive = _attributes.PASSIVE_NO_INITIALIZE
    if (
        not passive & _CALLABLES_OK
        and _OURS in uow.__dict__
        and key not in state.dict
        and key not in state.committed_state
        and key not in state.__dict__.get("_pending_mutations", ())
    ):
        # no value, no committed value, no pending change and no leave to
        # load: SQLAlchemy's answer is the empty history
        return _HISTORY_BLANK
    return _SQLALCHEMY_HISTORY(uow, state, key, passive)


def blank_history_of_untouched() -> None:
    """Install :func:`_history` on SQLAlchemy's unit of work (item 9). Idempotent.

    Units of work not marked by :func:`share_flush_memos` get SQLAlchemy's
    answer, computed as before.
    """
    if None in (_UOW, _SQLALCHEMY_HISTORY, _CALLABLES_OK, _HISTORY_BLANK):
        return
    if _UOW.get_attribute_history is not _history:
        _UOW.get_attribute_history = _history


# -- 10. a link out of an object's state for a flush, and back -----------------------

#: "no committed value": the link was set on the object since it was last stored
_NO_COMMITTED = object()


def take_out_link(state: InstanceState[Any], key: str) -> Any:
    """Remove ``key`` from ``state`` (value and committed value); returns what to put back.

    The caller has read the value (``state.dict[key]``).
    """
    was = state.committed_state.pop(key, _NO_COMMITTED)
    del state.dict[key]
    return was


def has_pending_change(state: InstanceState[Any], key: str) -> bool:
    """``key`` of ``state`` has changes queued for an unloaded collection."""
    return key in state.__dict__.get("_pending_mutations", ())


def put_back_link(
    state: InstanceState[Any], key: str, value: Any, was: Any, *, stored: bool
) -> None:
    """Undo :func:`take_out_link`: ``value`` back in ``state``.

    :param stored: the flush stored the object: the value comes back as
        stored (no change to write); otherwise as it was (``was``).

    A value set meanwhile (by an ``after_flush_postexec`` hook, where
    SQLAlchemy allows changes) stays: it is a change of its own, to be written
    by the next flush.
    """
    if key in state.dict:
        return
    state.dict[key] = value
    if not stored and was is not _NO_COMMITTED:
        state.committed_state[key] = was


# -- 11. a relationship nobody touched has no changes, at once ------------------------

_DEPENDENCY: Any = getattr(_dependency, "_DependencyProcessor", None)
#: SQLAlchemy's own (kept for other sessions' units of work)
_SQLALCHEMY_HAS_CHANGES: Any = getattr(_DEPENDENCY, "prop_has_changes", None)


def _untouched(key: str, states: Any) -> bool:
    """No state of ``states`` holds a value, a committed value or a pending change of ``key``."""
    for state in states:
        obj = state.obj()  # ``state.dict``, without the property's cost (4,000 states a call)
        if (
            (obj is not None and key in obj.__dict__)
            or key in state.committed_state
            or has_pending_change(state, key)
        ):
            return False
    return True


def _has_changes(dep: Any, uow: Any, states: Any, isdelete: bool) -> Any:
    """``_DependencyProcessor.prop_has_changes`` for stalker_core's units of work (item 11)."""
    if (
        (not isdelete or dep.passive_deletes)  # SQLAlchemy asks without leave to load
        and _OURS in uow.__dict__
        and isinstance(states, set | frozenset | list | tuple)
        and _untouched(dep.key, states)
    ):
        # every history is the empty one (item 9): SQLAlchemy's answer after asking them all
        return states and not dep.prop._is_self_referential and dep.mapper in uow.mappers
    return _SQLALCHEMY_HAS_CHANGES(dep, uow, states, isdelete)


def untouched_relationships_unchanged() -> None:
    """Install :func:`_has_changes` on SQLAlchemy's dependency processors (item 11). Idempotent.

    The subclasses that answer the question their own way keep their answer;
    units of work not marked by :func:`share_flush_memos` get SQLAlchemy's.
    """
    if None in (_DEPENDENCY, _SQLALCHEMY_HAS_CHANGES):
        return
    if _DEPENDENCY.prop_has_changes is not _has_changes:
        _DEPENDENCY.prop_has_changes = _has_changes


# -- 12. saving through the tables of the flushed mappers only -------------------------

#: the tables of the objects being saved by a stalker_core flush in this context
_SAVING: ContextVar[frozenset[Any] | None] = ContextVar("stalker_core_saving_tables", default=None)


class _TablesOfMappers(dict[Any, Any]):
    """A base mapper's ``_sorted_tables`` (item 12), same content and order.

    While :func:`_save_rows` runs in the current context, ``items()`` gives
    only the tables of the objects being saved.
    """

    def items(self) -> Any:  # type: ignore[override]
        only = _SAVING.get()
        if only is None:
            return super().items()
        return [(table, mapper) for table, mapper in super().items() if table in only]


def _saving_only_tables_with_rows(save: Any) -> Any:
    """Wrap ``persistence._save_obj`` (item 12 above)."""

    def save_rows(base_mapper: Any, states: Any, uowtransaction: Any, single: bool = False) -> Any:
        if uowtransaction is None or _OURS not in getattr(uowtransaction, "__dict__", ()):
            if _SAVING.get() is None:
                return save(base_mapper, states, uowtransaction, single)
            # another unit of work saving inside ours (a mapper hook's session): every table
            token = _SAVING.set(None)
            try:
                return save(base_mapper, states, uowtransaction, single)
            finally:
                _SAVING.reset(token)
        memo = base_mapper.__dict__
        if type(memo.get("_sorted_tables")) is not _TablesOfMappers:
            # (again after SQLAlchemy reset its memos, e.g. a new mapper)
            memo["_sorted_tables"] = _TablesOfMappers(base_mapper._sorted_tables)
        states = list(states)
        tables: set[Any] = set()
        for mapper in {state.mapper for state in states}:
            tables.update(mapper._pks_by_table)
        token = _SAVING.set(frozenset(tables))
        try:
            return save(base_mapper, states, uowtransaction, single)
        finally:
            _SAVING.reset(token)

    save_rows.__wrapped__ = save  # type: ignore[attr-defined]
    return save_rows


def save_only_tables_with_rows() -> None:
    """Install the wrapper of item 12 in ``sqlalchemy.orm.persistence``. Idempotent.

    Units of work not marked by :func:`share_flush_memos` run SQLAlchemy's
    function unchanged (and see the whole table map).
    """
    original = getattr(_persistence, "_save_obj", None)
    if original is not None and not hasattr(original, "__wrapped__"):
        _persistence._save_obj = _saving_only_tables_with_rows(original)


# -- 13. the first event dispatch of a mapped attribute ----------------------------

#: the slot where SQLAlchemy keeps the events of a mapped attribute once it was asked for them
_SLOTS_DISPATCH = "_slots_dispatch"
#: SQLAlchemy's own ``QueryableAttribute.__getattr__``, restored after the models are imported
_ATTRIBUTE_GETATTR = QueryableAttribute.__getattr__


def _getattr_quick_dispatch(self: QueryableAttribute[Any], key: str) -> Any:
    """``QueryableAttribute.__getattr__``, answering the empty dispatch slot at once."""
    if key == _SLOTS_DISPATCH:
        raise AttributeError(key)  # what SQLAlchemy's lookup ends with, after its detours
    return _ATTRIBUTE_GETATTR(self, key)


@contextmanager
def quick_attribute_dispatch() -> Iterator[None]:
    """For the length of the block, the first dispatch of an attribute skips the detour (item 13).

    Used around importing :mod:`stalker_core.models` only. Nested or with
    ``__getattr__`` already replaced by someone else, the block changes nothing.
    """
    if (
        QueryableAttribute.__dict__.get("__getattr__") is not _ATTRIBUTE_GETATTR
        or _SLOTS_DISPATCH not in QueryableAttribute.__slots__
    ):
        yield
        return
    QueryableAttribute.__getattr__ = _getattr_quick_dispatch  # type: ignore[method-assign]
    try:
        yield
    finally:
        QueryableAttribute.__getattr__ = _ATTRIBUTE_GETATTR  # type: ignore[method-assign]


# -- 14. one map of equivalent columns per inheritance hierarchy -------------------------


def share_equivalent_columns(mappers: Iterable[Mapper[Any]]) -> None:
    """Give each of ``mappers`` its hierarchy's map of equivalent columns, built once (item 14).

    Mappers that have the map already keep theirs. Without the private
    names, nothing is done (SQLAlchemy builds each map itself).
    """
    build = getattr(Mapper.__dict__.get("_equivalent_columns"), "fget", None)
    if build is None or not hasattr(Mapper, "_set_memoized_attribute"):
        return
    built: dict[Mapper[Any], dict[Any, Any]] = {}
    for mapper in mappers:
        if "_equivalent_columns" in mapper.__dict__:
            continue
        base = mapper.base_mapper
        equivalents = built.get(base)
        if equivalents is None:
            equivalents = built[base] = build(base)
        mapper._set_memoized_attribute("_equivalent_columns", dict(equivalents))


# -- 17. a queued append of a stored object, and the object, out of a flush -----------


def take_out_queued_append(state: InstanceState[Any], key: str, obj: Any) -> bool:
    """Remove ``obj`` from the appends queued in ``state``'s unloaded collection ``key``.

    Returns whether it was queued there (nothing is changed otherwise). Only
    a queue of appends is taken: one with a removal stays with SQLAlchemy.
    The queue's mark in the committed values (no value: nothing loaded) goes
    with the last append.
    """
    pending: dict[str, Any] = state.__dict__.get("_pending_mutations") or {}
    queued = pending.get(key)
    if (
        queued is None
        or queued.deleted_items
        or obj not in queued.added_items
        or key in state.dict
        or state.committed_state.get(key, _attributes.NO_VALUE) is not _attributes.NO_VALUE
    ):
        return False
    queued.added_items.remove(obj)
    if not queued.added_items:
        del pending[key]
        state.committed_state.pop(key, None)
    return True


def put_back_queued_append(state: InstanceState[Any], key: str, obj: Any) -> None:
    """Undo :func:`take_out_queued_append`."""
    state._get_pending_mutation(key).append(obj)
    state.committed_state.setdefault(key, _attributes.NO_VALUE)


def leave_out_unchanged(session: Session, state: InstanceState[Any]) -> bool:
    """Mark the stored ``state`` unchanged when it has nothing to write; returns whether it was.

    "Nothing to write": no committed value (no attribute changed) and no
    queued collection change. What a successful flush does to it.
    """
    if not state.modified or state.committed_state or state.__dict__.get("_pending_mutations"):
        return False
    session.identity_map._modified.discard(state)  # type: ignore[attr-defined]
    state.modified = False
    state._strong_obj = None
    return True


def mark_changed(session: Session, state: InstanceState[Any]) -> None:
    """Undo :func:`leave_out_unchanged` (the flush failed)."""
    state.modified = True
    state._strong_obj = state.obj()
    session.identity_map._modified.add(state)  # type: ignore[attr-defined]


def note_written(session: Session, states: Iterable[InstanceState[Any]]) -> None:
    """Record ``states`` as written by the transaction, as a flush records what it writes.

    Rolling back a savepoint expires only the objects changed or written
    within it; an object left out of the flush by :func:`leave_out_unchanged`
    would otherwise keep what it loaded meanwhile (e.g. a collection holding
    a new object whose INSERT the rollback undid).
    """
    session._register_altered(states)


def add_loaded_member(state: InstanceState[Any], key: str, obj: Any) -> None:
    """Add ``obj`` to ``state``'s collection ``key`` when it was loaded without it.

    After a flush that took ``obj``'s queued append out
    (:func:`take_out_queued_append`): the collection stays unloaded, and
    loads the row, unless something loaded it during the flush, before the
    row was there. The member is added as stored (no event, no change).
    """
    collection = state.dict.get(key)
    if collection is None or any(member is obj for member in collection):
        return
    _collections.collection_adapter(collection).append_without_event(obj)


# -- 18. a row inserted by the current transaction -------------------------------------


def inserted_in_transaction(session: Session, obj: Any) -> bool:
    """Was ``obj``'s row inserted by ``session``'s current transaction (not committed yet)?"""
    state = _attributes.instance_state(obj)
    transaction = session._transaction
    while transaction is not None:
        if state in transaction._new:
            return True
        transaction = transaction._parent
    return False
