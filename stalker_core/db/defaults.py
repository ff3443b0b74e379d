"""Default data created by ``db.init()``: admin user/department/group, statuses."""

from __future__ import annotations

from sqlalchemy.orm import Session, scoped_session


def create_defaults(session: Session | scoped_session) -> None:
    """Create the default data when missing (idempotent)."""
    from stalker_core.models import Department

    if session.query(Department).filter_by(name="admins").first() is None:
        session.add(Department(name="admins"))
