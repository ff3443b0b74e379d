"""Status and StatusList: the statuses an entity class may take.

``StatusList.statuses`` is ordered (the first is the default status of new
objects) and indexable by code: ``status_list["WIP"]``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.ext.associationproxy import AssociationProxy
from sqlalchemy.ext.orderinglist import ordering_list
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from stalker_core.exceptions import type_error
from stalker_core.models.base import (
    Base,
    Entity,
    check_instance,
    entity_type_name,
    fk_id,
    unique_association_proxy,
)
from stalker_core.models.column_mixins import TargetEntityTypeMixin
from stalker_core.models.mixins import CodeMixin


class StatusListStatus(Base):
    """Position of a status in a status list."""

    __tablename__ = "status_list_statuses"
    status_list_id: Mapped[int] = mapped_column(
        ForeignKey("status_lists.id", ondelete="CASCADE"), primary_key=True
    )
    status_id: Mapped[int] = mapped_column(
        ForeignKey("statuses.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    status_list: Mapped[StatusList] = relationship(back_populates="status_links")
    # inner: the status is part of the key; an outer join to the joined-inheritance pair makes
    # SQLite scan every simple entity (8 ms at 100,000 tasks) instead of the few statuses
    status: Mapped[Status] = relationship(lazy="joined", innerjoin=True)

    @validates("status")
    def _validate_status(self, key: str, value: Any) -> Any:
        return check_instance("StatusList", "statuses", value, Status, required=True)


class Status(Entity, CodeMixin):
    """A status such as ``WIP`` (code) / ``Work In Progress`` (name)."""

    __tablename__ = "statuses"
    _required: ClassVar[tuple[str, ...]] = ("name", "code")
    id: Mapped[int] = fk_id("simple_entities")


class StatusList(Entity, TargetEntityTypeMixin):
    """The ordered statuses allowed for one entity class (``target_entity_type``).

    :param statuses: a list of :class:`Status` (the first is the default).
    :param target_entity_type: a class (``Project``) or its name (``"Project"``).
    """

    __tablename__ = "status_lists"
    _required: ClassVar[tuple[str, ...]] = ("target_entity_type",)
    id: Mapped[int] = fk_id("simple_entities")
    target_entity_type: Mapped[str] = mapped_column(String(128), index=True)
    status_links: Mapped[list[StatusListStatus]] = relationship(
        back_populates="status_list",
        order_by=StatusListStatus.position,
        collection_class=ordering_list("position"),
        cascade="all, delete-orphan",
    )
    statuses: AssociationProxy[list[Status]] = unique_association_proxy(
        "status_links", "status", creator=lambda s: StatusListStatus(status=s)
    )

    @validates("target_entity_type")
    def _validate_target(self, key: str, value: Any) -> str:
        return entity_type_name("StatusList", key, value)

    def __getitem__(self, key: int | str) -> Status:
        """A status by position (int) or by code or name (str, any case; the code first).

        :raises KeyError: no status with that code or name.
        """
        if isinstance(key, str):
            found = self._by_text(key)
            if found is None:
                raise KeyError(f"{self.name!r} has no status with code or name {key!r}")
            return found
        return self.statuses[self._index(key)]  # type: ignore[no-any-return]

    def __setitem__(self, index: int, status: Status) -> None:
        """Replace the status at position ``index`` (Stalker's ``status_list[0] = s``)."""
        self.statuses[self._index(index)] = status

    def __delitem__(self, index: int) -> None:
        """Remove the status at position ``index``."""
        del self.statuses[self._index(index)]

    def __len__(self) -> int:
        """The number of statuses (an empty StatusList is false, as Stalker's)."""
        return len(self.statuses)

    def __contains__(self, status: object) -> bool:
        if isinstance(status, str):
            return self._by_text(status) is not None
        return status in self.statuses

    def _by_text(self, text: str) -> Status | None:
        statuses = list(self.statuses)
        for status in statuses:
            if status.code == text:
                return status  # type: ignore[no-any-return]
        for status in statuses:
            if status == text:  # Status equals its code or name in any case
                return status  # type: ignore[no-any-return]
        return None

    @staticmethod
    def _index(key: Any) -> int:
        if isinstance(key, int) and not isinstance(key, bool):
            return key
        raise type_error("StatusList", "[key]", "an int index or a status code (str)", key)

