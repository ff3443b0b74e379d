"""The session class of stalker_core and the scoped session of the tutorial API.

:class:`StalkerSession` is the one session class stalker_core creates
sessions of (``DBSession``, ``db.setup()``, the CLI, the workflows): the
model's flush rules (:mod:`stalker_core.models.flush`) and its default query
ordering are registered on it, never on SQLAlchemy's ``Session``, so other
SQLAlchemy sessions in the same process (a host application's own) do not
run them. A plain ``sqlalchemy.orm.Session`` would skip those rules, so it may
not insert stalker_core's models (:func:`stalker_core.models.flush.require_stalker_session`
refuses with a ``ConfigError``): create ``StalkerSession(engine)`` instead.

``DBSession`` is a thin facade for scripts and the tutorial. Library code
(workflows, scheduler, services) takes an explicit ``session`` argument
defaulting to it. Nothing connects at import time: :func:`stalker_core.db.setup`
binds an engine.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session, scoped_session, sessionmaker

from stalker_core.orm._sqla_private import pending_change_count
from stalker_core.orm.stored_links import reattach_stored_links

#: a flush of at least this many new, changed or deleted objects runs with the
#: cyclic garbage collector paused (see :class:`StalkerSession`)
BULK_FLUSH_OBJECTS = 200


class StalkerSession(Session):
    """The :class:`~sqlalchemy.orm.Session` of stalker_core.

    Use it like ``Session``: ``StalkerSession(engine)``. Two things set it
    apart:

    * the model's session hooks (flush pipeline, default ordering of
      ``Model.query``) are registered on this class when
      :mod:`stalker_core.models` is imported;
    * its big flushes run without cyclic GC passes. A flush of thousands of
      objects allocates millions of short-lived containers; Python's cyclic
      garbage collector then runs hundreds of times over the whole heap (the
      mapped classes, the identity map, the host application's objects) and
      takes a third of the flush time. A flush of :data:`BULK_FLUSH_OBJECTS`
      objects or more pauses it and restores it when the flush ends,
      successfully or not; nothing else changes (cycles made meanwhile are
      collected by the next ordinary GC pass). Small flushes keep the GC
      running: one may wait long on a row lock while the host's other
      threads allocate.
    """

    def flush(self, objects: Sequence[Any] | None = None) -> None:
        # the links of new objects to stored ones, taken out of the unit of
        # work by a before_flush hook, go back whatever the outcome
        # (stalker_core.orm.stored_links)
        try:
            if pending_change_count(self) < BULK_FLUSH_OBJECTS or not gc.isenabled():
                super().flush(objects)
            else:
                gc.disable()
                try:
                    super().flush(objects)
                finally:
                    gc.enable()
        except BaseException:
            reattach_stored_links(self, succeeded=False)
            raise
        reattach_stored_links(self, succeeded=True)

    def save(self, data: Any = None) -> None:
        """Add ``data`` (an object, or a list/tuple/set of objects) and commit: Stalker's ``save``.

        ``DBSession.save(project)`` is ``add(project)`` followed by
        ``commit()``; ``save()`` without an argument only commits. When the
        commit fails the session is rolled back (so it stays usable) and the
        error is raised again.
        """
        if data is not None:
            if isinstance(data, list | tuple | set | frozenset):
                self.add_all(data)
            else:
                self.add(data)
        try:
            self.commit()
        except BaseException:
            self.rollback()
            raise


class ScopedStalkerSession(scoped_session[StalkerSession]):
    """The thread-local scoped session of ``DBSession``, with Stalker's :meth:`save` too."""

    def save(self, data: Any = None) -> None:
        """:meth:`StalkerSession.save` on the current thread's session."""
        self.registry().save(data)


#: The thread-local session used by ``Model.query`` and the tutorial.
DBSession: ScopedStalkerSession = ScopedStalkerSession(
    sessionmaker(class_=StalkerSession, expire_on_commit=False)
)
