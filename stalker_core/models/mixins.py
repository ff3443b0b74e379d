"""Reusable column groups: code, status, project, date range."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship, validates

from stalker_core.models.base import check_str
from stalker_core.models.types import ensure_aware

if TYPE_CHECKING:
    from stalker_core.models.project import Project
    from stalker_core.models.status import Status, StatusList


class CodeMixin:
    """A short ``code`` (e.g. ``"SH001"``), required."""

    code: Mapped[str] = mapped_column(String(256), index=True)

    @validates("code")
    def _validate_code(self, key: str, value: Any) -> str:
        return check_str(type(self).__name__, key, value)


class StatusMixin:
    """A ``status`` taken from the class's ``status_list``."""

    @declared_attr
    def status_id(cls) -> Mapped[int | None]:  # noqa: N805
        return mapped_column(ForeignKey("statuses.id", ondelete="RESTRICT"), index=True)

    @declared_attr
    def status_list_id(cls) -> Mapped[int | None]:  # noqa: N805
        return mapped_column(ForeignKey("status_lists.id", ondelete="RESTRICT"))

    @declared_attr
    def status(cls) -> Mapped[Status | None]:  # noqa: N805
        return relationship("Status", foreign_keys=lambda: [cls.status_id])  # type: ignore[list-item]

    @declared_attr
    def status_list(cls) -> Mapped[StatusList | None]:  # noqa: N805
        return relationship("StatusList", foreign_keys=lambda: [cls.status_list_id])  # type: ignore[list-item]


class ProjectMixin:
    """Belongs to a ``project``."""

    @declared_attr
    def project_id(cls) -> Mapped[int | None]:  # noqa: N805
        return mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)

    @declared_attr
    def project(cls) -> Mapped[Project | None]:  # noqa: N805
        return relationship("Project", foreign_keys=lambda: [cls.project_id])  # type: ignore[list-item]


class DateRangeMixin:
    """``start``/``end`` as aware datetimes, and ``duration``."""

    start: Mapped[dt.datetime | None] = mapped_column()
    end: Mapped[dt.datetime | None] = mapped_column()

    @validates("start", "end")
    def _validate_range(self, key: str, value: Any) -> dt.datetime | None:
        return ensure_aware(type(self).__name__, key, value)

    @property
    def duration(self) -> dt.timedelta | None:
        """``end - start`` or ``None`` when either is missing."""
        if self.start is None or self.end is None:
            return None
        return self.end - self.start
