"""Stalker's ``stalker.db.types``: the column type of aware datetimes (a re-export).

``DateTimeUTC`` is Stalker's name of :class:`~stalker_core.models.types.UTCDateTime`.
"""

from __future__ import annotations

from stalker_core.models.types import UTCDateTime
from stalker_core.models.types import UTCDateTime as DateTimeUTC

__all__ = ["DateTimeUTC", "UTCDateTime"]
