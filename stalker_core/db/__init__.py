"""Database set-up: ``db.setup()`` binds an engine, ``db.init()`` adds default data.

Nothing connects at import time. ``setup`` creates the schema of a fresh
database and upgrades an older one (Alembic, see :mod:`stalker_core.db.migrate`).
"""

from __future__ import annotations

from stalker_core.db.setup import init, setup

__all__ = ["init", "setup"]
