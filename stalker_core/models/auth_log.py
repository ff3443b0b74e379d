"""AuthenticationLog: a record of a user's login or logout."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from stalker_core.models.base import SimpleEntity, fk_id
from stalker_core.models.types import utc_now

if TYPE_CHECKING:
    from stalker_core.models.user import User

LOGIN = "login"
LOGOUT = "logout"


class AuthenticationLog(SimpleEntity):
    """``user`` did ``action`` (login/logout) at ``date``."""

    __tablename__ = "authentication_logs"
    id: Mapped[int] = fk_id("simple_entities")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    date: Mapped[dt.datetime] = mapped_column(default=utc_now)
    user: Mapped[User] = relationship(
        back_populates="authentication_logs", foreign_keys=[user_id]
    )
