"""The budget family."""

from __future__ import annotations

from typing import Any

import pytest

from stalker_core.exceptions import StalkerTypeError, ValidationError
from stalker_core.models import (
    Budget,
    BudgetEntry,
    Client,
    Good,
    Invoice,
    Payment,
    PriceList,
    Project,
)


def test_budget_entry_copies_the_good() -> None:
    good = Good(name="Comp", cost=10, msrp=15, unit="TRY/h")
    budget = Budget(name="B", project=Project(name="P", code="P"))
    entry = BudgetEntry(budget=budget, good=good, amount=4)
    assert (entry.cost, entry.msrp, entry.unit, entry.price) == (10, 15, "TRY/h", 60)
    assert entry.name == "Comp" and budget.entries == [entry] and budget.total == 60


@pytest.mark.parametrize(
    ("factory", "err"),
    [
        (lambda: Good(name="g", cost=-1), ValidationError),
        (lambda: Good(name="g", msrp="1"), StalkerTypeError),
        (lambda: Good(name="g", unit=5), StalkerTypeError),
        (lambda: Good(name="g", client="ACME"), StalkerTypeError),
        (lambda: Budget(name="b"), StalkerTypeError),
        (lambda: Budget(name="b", project="P"), StalkerTypeError),
        (lambda: BudgetEntry(budget="b"), StalkerTypeError),
        (lambda: Invoice(budget=None, client=None, amount=1), StalkerTypeError),
        (lambda: Payment(invoice="i", amount=1), StalkerTypeError),
        (lambda: PriceList(name="p", goods=["g"]), StalkerTypeError),
    ],
)
def test_invalid(factory: Any, err: type) -> None:
    with pytest.raises(err):
        factory()


def test_budget_family_persists(session: Any) -> None:
    project = Project(name="P", code="P")
    client = Client(name="ACME")
    good = Good(name="Anim", cost=5, msrp=8, unit="$/h", client=client)
    PriceList(name="2025", goods=[good])
    budget = Budget(name="B", project=project)
    BudgetEntry(budget=budget, good=good, amount=10)
    invoice = Invoice(budget=budget, client=client, amount=80, unit="$")
    Payment(invoice=invoice, amount=50, unit="$")
    Payment(invoice=invoice, amount=30, unit="$")
    session.add(budget)
    session.commit()
    session.expire_all()
    got = Budget.query.one()
    assert got.total == 80 and got.invoices[0].paid == 80
    assert got.status is None or got.status.code  # no Budget list by default
    assert PriceList.query.one().goods[0].name == "Anim"
