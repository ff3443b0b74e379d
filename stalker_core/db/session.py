"""The scoped session of the tutorial API (``stalker_core.db.session.DBSession``).

It is a thin facade for scripts and the tutorial. Library code (workflows,
scheduler, services) takes an explicit ``session`` argument defaulting to it.
Nothing connects at import time: :func:`stalker_core.db.setup` binds an engine.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session, scoped_session, sessionmaker

#: a flush of at least this many new, changed or deleted objects runs with the
#: cyclic garbage collector paused (see :class:`StalkerSession`)
BULK_FLUSH_OBJECTS = 200


class StalkerSession(Session):
    """A :class:`~sqlalchemy.orm.Session` whose big flushes run without cyclic GC passes.

    A flush of thousands of objects allocates millions of short-lived
    containers; Python's cyclic garbage collector then runs hundreds of times
    over the whole heap (the mapped classes, the identity map, the host
    application's objects) and takes a third of the flush time. A flush of
    :data:`BULK_FLUSH_OBJECTS` objects or more pauses it and restores it when
    the flush ends, successfully or not; nothing else changes (cycles made
    meanwhile are collected by the next ordinary GC pass). Use it like
    ``Session``: ``StalkerSession(engine)``.
    """

    def flush(self, objects: Sequence[Any] | None = None) -> None:
        if (
            len(self._new) + len(self._deleted) + len(self.identity_map._modified)
            < BULK_FLUSH_OBJECTS
            or not gc.isenabled()
        ):
            super().flush(objects)
            return
        gc.disable()
        try:
            super().flush(objects)
        finally:
            gc.enable()


#: The thread-local session used by ``Model.query`` and the tutorial.
DBSession: scoped_session[StalkerSession] = scoped_session(
    sessionmaker(class_=StalkerSession, expire_on_commit=False)
)
