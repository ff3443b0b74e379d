"""The budget family: Good, PriceList, Budget, BudgetEntry, Invoice, Payment.

Amounts and prices are numbers >= 0; ``unit`` is a free string such as
``"TRY"`` or ``"$/h"``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from stalker_core.models.base import (
    Entity,
    check_instance,
    check_number,
    check_str,
    fk_id,
    link_table,
    on_append,
)
from stalker_core.models.column_mixins import AmountMixin, UnitMixin
from stalker_core.models.mixins import ProjectMixin, StatusMixin

if TYPE_CHECKING:
    from stalker_core.models.client import Client

price_list_goods = link_table("price_list_goods", price_list_id="price_lists", good_id="goods")


def _amount(cls_name: str, key: str, value: Any) -> float:
    return float(check_number(cls_name, key, value, minimum=0))


def _unit(cls_name: str, key: str, value: Any) -> str:
    value = check_str(cls_name, key, value, required=False)
    if len(value) > 64:
        from stalker_core.exceptions import value_error

        raise value_error(cls_name, key, "at most 64 characters", value)
    return value


def _client(cls_name: str, key: str, value: Any) -> Any:
    from stalker_core.models.client import Client

    return check_instance(cls_name, key, value, Client)


class Good(Entity, UnitMixin):
    """Something the studio sells: ``cost``, ``msrp`` and ``unit``."""

    __tablename__ = "goods"
    _required: ClassVar[tuple[str, ...]] = ("name",)
    id: Mapped[int] = fk_id("simple_entities")
    cost: Mapped[float] = mapped_column(default=0.0)
    msrp: Mapped[float] = mapped_column(default=0.0)
    unit: Mapped[str] = mapped_column(String(64), default="")
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="SET NULL"))
    client: Mapped[Client | None] = relationship(foreign_keys=[client_id])
    price_lists: Mapped[list[PriceList]] = relationship(
        secondary=price_list_goods, back_populates="goods"
    )

    @validates("cost", "msrp")
    def _validate_amount(self, key: str, value: Any) -> float:
        return _amount("Good", key, value)

    @validates("unit")
    def _validate_unit(self, key: str, value: Any) -> str:
        return _unit("Good", key, value)

    @validates("client")
    def _validate_client(self, key: str, value: Any) -> Any:
        return _client("Good", key, value)


class PriceList(Entity):
    """A named list of goods."""

    __tablename__ = "price_lists"
    _required: ClassVar[tuple[str, ...]] = ("name",)
    id: Mapped[int] = fk_id("simple_entities")
    goods: Mapped[list[Good]] = relationship(
        secondary=price_list_goods, back_populates="price_lists"
    )


class Budget(Entity, ProjectMixin, StatusMixin):
    """A project's budget, made of entries.

    :param project: the :class:`Project` (required).
    """

    __tablename__ = "budgets"
    _required: ClassVar[tuple[str, ...]] = ("name", "project")
    id: Mapped[int] = fk_id("simple_entities")
    entries: Mapped[list[BudgetEntry]] = relationship(
        back_populates="budget", cascade="all, delete-orphan", foreign_keys="BudgetEntry.budget_id"
    )
    invoices: Mapped[list[Invoice]] = relationship(
        back_populates="budget", foreign_keys="Invoice.budget_id"
    )

    @property
    def total(self) -> float:
        """Sum of the entries' prices."""
        return sum(e.price for e in self.entries)


class BudgetEntry(Entity, AmountMixin, UnitMixin):
    """A line of a budget: a good, an amount and the resulting price.

    :param budget: the :class:`Budget` (required).
    :param good: the :class:`Good`; its cost, msrp and unit are copied when not given.
    :param amount: how many units; ``price`` defaults to ``good.msrp * amount``.
    """

    __tablename__ = "budget_entries"
    _required: ClassVar[tuple[str, ...]] = ("budget",)
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

    def __init__(self, **kwargs: Any) -> None:
        good = kwargs.get("good")
        if kwargs.get("name") is None:
            kwargs["name"] = good.name if isinstance(good, Good) else "Budget Entry"
        super().__init__(**kwargs)
        if isinstance(good, Good):
            for attr in ("cost", "msrp", "unit"):
                if attr not in kwargs:
                    setattr(self, attr, getattr(good, attr) or (0.0 if attr != "unit" else ""))
            if "price" not in kwargs:
                self.price = (good.msrp or 0.0) * (self.amount or 0.0)

    @validates("cost", "msrp", "price", "realized_total", "amount")
    def _validate_amount(self, key: str, value: Any) -> float:
        return _amount("BudgetEntry", key, value)

    @validates("unit")
    def _validate_unit(self, key: str, value: Any) -> str:
        return _unit("BudgetEntry", key, value)

    @validates("budget")
    def _validate_budget(self, key: str, value: Any) -> Any:
        return check_instance("BudgetEntry", key, value, Budget, required=True)

    @validates("good")
    def _validate_good(self, key: str, value: Any) -> Any:
        return check_instance("BudgetEntry", key, value, Good)


class Invoice(Entity, AmountMixin, UnitMixin):
    """An invoice sent to a client against a budget.

    :param budget: the :class:`Budget` (required).
    :param client: the :class:`Client` (required).
    :param amount: >= 0; ``unit`` e.g. ``"TRY"``.
    """

    __tablename__ = "invoices"
    _required: ClassVar[tuple[str, ...]] = ("budget", "client", "amount")
    id: Mapped[int] = fk_id("simple_entities")
    budget_id: Mapped[int | None] = mapped_column(ForeignKey("budgets.id", ondelete="CASCADE"))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="SET NULL"))
    amount: Mapped[float] = mapped_column(default=0.0)
    unit: Mapped[str] = mapped_column(String(64), default="")
    budget: Mapped[Budget | None] = relationship(
        back_populates="invoices", foreign_keys=[budget_id]
    )
    client: Mapped[Client | None] = relationship(foreign_keys=[client_id])
    payments: Mapped[list[Payment]] = relationship(
        back_populates="invoice", foreign_keys="Payment.invoice_id"
    )

    def __init__(self, **kwargs: Any) -> None:
        if kwargs.get("name") is None:
            kwargs["name"] = "Invoice"
        super().__init__(**kwargs)

    @validates("amount")
    def _validate_amount(self, key: str, value: Any) -> float:
        return _amount("Invoice", key, value)

    @validates("unit")
    def _validate_unit(self, key: str, value: Any) -> str:
        return _unit("Invoice", key, value)

    @validates("budget")
    def _validate_budget(self, key: str, value: Any) -> Any:
        return check_instance("Invoice", key, value, Budget, required=True)

    @validates("client")
    def _validate_client(self, key: str, value: Any) -> Any:
        from stalker_core.models.client import Client

        return check_instance("Invoice", key, value, Client, required=True)

    @property
    def paid(self) -> float:
        """Sum of the payments."""
        return sum(p.amount for p in self.payments)


class Payment(Entity, AmountMixin, UnitMixin):
    """A payment received for an invoice.

    :param invoice: the :class:`Invoice` (required).
    :param amount: >= 0; ``unit`` e.g. ``"TRY"``.
    """

    __tablename__ = "payments"
    _required: ClassVar[tuple[str, ...]] = ("invoice", "amount")
    id: Mapped[int] = fk_id("simple_entities")
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"))
    amount: Mapped[float] = mapped_column(default=0.0)
    unit: Mapped[str] = mapped_column(String(64), default="")
    invoice: Mapped[Invoice | None] = relationship(
        back_populates="payments", foreign_keys=[invoice_id]
    )

    def __init__(self, **kwargs: Any) -> None:
        if kwargs.get("name") is None:
            kwargs["name"] = "Payment"
        super().__init__(**kwargs)

    @validates("amount")
    def _validate_amount(self, key: str, value: Any) -> float:
        return _amount("Payment", key, value)

    @validates("unit")
    def _validate_unit(self, key: str, value: Any) -> str:
        return _unit("Payment", key, value)

    @validates("invoice")
    def _validate_invoice(self, key: str, value: Any) -> Any:
        return check_instance("Payment", key, value, Invoice, required=True)


def _check_good(target: Any, key: str, value: Any) -> Any:
    return check_instance(type(target).__name__, key, value, Good, required=True)


def _check_price_list(target: Any, key: str, value: Any) -> Any:
    return check_instance("Good", key, value, PriceList, required=True)


on_append(PriceList.goods, _check_good)
on_append(Good.price_lists, _check_price_list)
