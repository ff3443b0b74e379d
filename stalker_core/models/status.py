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
    status: Mapped[Status] = relationship(lazy="joined")

    @validates("status")
    def _validate_status(self, key: str, value: Any) -> Any:
        return check_instance("StatusList", "statuses", value, Status, required=True)


class Status(Entity, CodeMixin):
    """A status such as ``WIP`` (code) / ``Work In Progress`` (name)."""

    __tablename__ = "statuses"
    _required: ClassVar[tuple[str, ...]] = ("name", "code")
    id: Mapped[int] = fk_id("simple_entities")


class StatusList(Entity):
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
        """A status by position (int) or by code (str).

        :raises KeyError: no status with that code.
        """
        if isinstance(key, str):
            for status in self.statuses:
                if status.code == key:
                    return status
            raise KeyError(f"{self.name!r} has no status with code {key!r}")
        if isinstance(key, int) and not isinstance(key, bool):
            return self.statuses[key]  # type: ignore[no-any-return]
        raise type_error("StatusList", "[key]", "an int index or a status code (str)", key)

    def __contains__(self, status: object) -> bool:
        if isinstance(status, str):
            return any(s.code == status for s in self.statuses)
        return status in self.statuses

