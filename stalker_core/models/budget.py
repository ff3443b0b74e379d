"""The budget family: Good, PriceList, Budget, BudgetEntry, Invoice, Payment."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from stalker_core.models.base import Base, Entity, fk_id
from stalker_core.models.mixins import ProjectMixin, StatusMixin

if TYPE_CHECKING:
    from stalker_core.models.client import Client

price_list_goods = Table(
    "price_list_goods",
    Base.metadata,
    Column("price_list_id", ForeignKey("price_lists.id", ondelete="CASCADE"), primary_key=True),
    Column("good_id", ForeignKey("goods.id", ondelete="CASCADE"), primary_key=True),
)


class Good(Entity):
    """Something the studio sells: ``cost``, ``msrp`` and ``unit``."""

    __tablename__ = "goods"
    id: Mapped[int] = fk_id("simple_entities")
    cost: Mapped[float] = mapped_column(default=0.0)
    msrp: Mapped[float] = mapped_column(default=0.0)
    unit: Mapped[str] = mapped_column(String(64), default="")
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="SET NULL"))
    client: Mapped[Client | None] = relationship(foreign_keys=[client_id])
    price_lists: Mapped[list[PriceList]] = relationship(
        secondary=price_list_goods, back_populates="goods"
    )


class PriceList(Entity):
    """A named list of goods."""

    __tablename__ = "price_lists"
    id: Mapped[int] = fk_id("simple_entities")
    goods: Mapped[list[Good]] = relationship(
        secondary=price_list_goods, back_populates="price_lists"
    )


class Budget(Entity, ProjectMixin, StatusMixin):
    """A project's budget, made of entries."""

    __tablename__ = "budgets"
    id: Mapped[int] = fk_id("simple_entities")
    entries: Mapped[list[BudgetEntry]] = relationship(
        back_populates="budget", cascade="all, delete-orphan", foreign_keys="BudgetEntry.budget_id"
    )
    invoices: Mapped[list[Invoice]] = relationship(
        back_populates="budget", foreign_keys="Invoice.budget_id"
    )


class BudgetEntry(Entity):
    """A line of a budget: a good, an amount and the resulting price."""

    __tablename__ = "budget_entries"
    id: Mapped[int] = fk_id("simple_entities")
    budget_id: Mapped[int] = mapped_column(ForeignKey("budgets.id", ondelete="CASCADE"))
    good_id: Mapped[int | None] = mapped_column(ForeignKey("goods.id", ondelete="SET NULL"))
    cost: Mapped[float] = mapped_column(default=0.0)
    msrp: Mapped[float] = mapped_column(default=0.0)
    price: Mapped[float] = mapped_column(default=0.0)
    realized_total: Mapped[float] = mapped_column(default=0.0)
    amount: Mapped[float] = mapped_column(default=0.0)
    unit: Mapped[str] = mapped_column(String(64), default="")
    budget: Mapped[Budget] = relationship(back_populates="entries", foreign_keys=[budget_id])
    good: Mapped[Good | None] = relationship(foreign_keys=[good_id])


class Invoice(Entity):
    """An invoice sent to a client against a budget."""

    __tablename__ = "invoices"
    id: Mapped[int] = fk_id("simple_entities")
    budget_id: Mapped[int | None] = mapped_column(ForeignKey("budgets.id", ondelete="CASCADE"))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="SET NULL"))
    amount: Mapped[float] = mapped_column(default=0.0)
    unit: Mapped[str] = mapped_column(String(64), default="")
    budget: Mapped[Budget | None] = relationship(back_populates="invoices", foreign_keys=[budget_id])
    client: Mapped[Client | None] = relationship(foreign_keys=[client_id])
    payments: Mapped[list[Payment]] = relationship(
        back_populates="invoice", foreign_keys="Payment.invoice_id"
    )


class Payment(Entity):
    """A payment received for an invoice."""

    __tablename__ = "payments"
    id: Mapped[int] = fk_id("simple_entities")
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"))
    amount: Mapped[float] = mapped_column(default=0.0)
    unit: Mapped[str] = mapped_column(String(64), default="")
    invoice: Mapped[Invoice | None] = relationship(
        back_populates="payments", foreign_keys=[invoice_id]
    )
