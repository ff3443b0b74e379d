"""``DBSession`` where the tutorial imports it from (``stalker_core.db.session``).

The session class and the scoped session are defined in
:mod:`stalker_core.orm.session`, below the models; this module re-exports the
same objects so that Stalker scripts keep their import line.
"""

from __future__ import annotations

from stalker_core.orm.session import BULK_FLUSH_OBJECTS, DBSession, StalkerSession

__all__ = ["BULK_FLUSH_OBJECTS", "DBSession", "StalkerSession"]
