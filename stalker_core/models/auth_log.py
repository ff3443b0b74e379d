"""AuthenticationLog: a record of a user's login or logout."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from stalker_core.exceptions import type_error, value_error
from stalker_core.models.base import SimpleEntity, check_instance, fk_id
from stalker_core.models.types import ensure_aware, utc_now

if TYPE_CHECKING:
    from stalker_core.models.user import User

LOGIN = "login"
LOGOUT = "logout"
ACTIONS: tuple[str, ...] = (LOGIN, LOGOUT)


class AuthenticationLog(SimpleEntity):
    """``user`` did ``action`` (login/logout) at ``date``.

    :param user: the :class:`User` (required).
    :param action: ``"login"`` or ``"logout"``.
    :param date: aware datetime; defaults to now (UTC).
    """

    __tablename__ = "authentication_logs"
    _required: ClassVar[tuple[str, ...]] = ("user", "action")
    id: Mapped[int] = fk_id("simple_entities")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    date: Mapped[dt.datetime] = mapped_column(default=utc_now)
    user: Mapped[User] = relationship(
        back_populates="authentication_logs", foreign_keys=[user_id]
    )

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("date", utc_now())
        super().__init__(**kwargs)

    @validates("user")
    def _validate_user(self, key: str, value: Any) -> Any:
        from stalker_core.models.user import User

        return check_instance("AuthenticationLog", key, value, User, required=True)

    @validates("action")
    def _validate_action(self, key: str, value: Any) -> str:
        if value not in ACTIONS:
            raise value_error("AuthenticationLog", key, f"one of {ACTIONS}", value)
        return str(value)

    @validates("date")
    def _validate_date(self, key: str, value: Any) -> dt.datetime:
        if value is None:
            raise type_error("AuthenticationLog", key, "an aware datetime", value)
        return ensure_aware("AuthenticationLog", key, value)  # type: ignore[return-value]
