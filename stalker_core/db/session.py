"""The scoped session of the tutorial API (``stalker_core.db.session.DBSession``).

It is a thin facade for scripts and the tutorial. Library code (workflows,
scheduler, services) takes an explicit ``session`` argument defaulting to it.
Nothing connects at import time: :func:`stalker_core.db.setup` binds an engine.
"""

from __future__ import annotations

from sqlalchemy.orm import scoped_session, sessionmaker

#: The thread-local session used by ``Model.query`` and the tutorial.
DBSession: scoped_session = scoped_session(sessionmaker(expire_on_commit=False))
