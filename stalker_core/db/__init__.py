"""Database set-up: ``db.setup()`` binds an engine, ``db.init()`` adds default data.

Nothing connects at import time. ``setup`` creates the schema of a fresh
database and upgrades an older one (Alembic, see :mod:`stalker_core.db.migrate`).

``db.setup`` is the set-up function (the tutorial's ``db.setup()``), so the
attribute hides the module of the same name; Stalker scripts that reach the
module's helpers through it (``db.setup.register(MyClass)``) find them as
attributes of the function too. ``from stalker_core.db.setup import register``
works as usual.
"""

from __future__ import annotations

from stalker_core.db import compat as _compat
from stalker_core.db.setup import init, setup

for _name in ("register", "create_entity_statuses", "alembic_version", "get_alembic_version"):
    setattr(setup, _name, getattr(_compat, _name))
del _name

__all__ = ["init", "setup"]
