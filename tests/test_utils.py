"""stalker_core.utils: Stalker's helpers, compared with the installed Stalker's."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
import stalker.utils as theirs

from stalker_core import utils
from stalker_core.exceptions import CircularDependencyError


@pytest.mark.parametrize(
    "name", ["Asset", "Category", "Branch", "Shelf", "Status", "Task", "Day", "Bus", "Ox"]
)
def test_make_plural_as_stalker(name: str) -> None:
    assert utils.make_plural(name) == theirs.make_plural(name)


def test_utc_and_local_round_trip_and_agree_with_stalker() -> None:
    naive_utc = dt.datetime(2026, 7, 1, 12, 30, 15, 250000)
    local = utils.utc_to_local(naive_utc)
    assert local.tzinfo is not None
    assert local.replace(tzinfo=None) == theirs.utc_to_local(naive_utc)
    assert utils.local_to_utc(local) == naive_utc.replace(tzinfo=dt.UTC)
    naive_local = dt.datetime(2026, 1, 15, 9, 0)
    assert utils.local_to_utc(naive_local).replace(tzinfo=None) == theirs.local_to_utc(
        naive_local
    )


def test_millis_as_stalker() -> None:
    moment = dt.datetime(2026, 3, 4, 5, 6, 7, 8000, tzinfo=dt.UTC)
    assert utils.datetime_to_millis(moment) == theirs.datetime_to_millis(moment)
    millis = utils.datetime_to_millis(moment)
    assert utils.millis_to_datetime(millis) == moment
    assert utils.datetime_to_millis(moment.replace(tzinfo=None)) == millis


def _tree() -> SimpleNamespace:
    leaf1, leaf2, leaf3 = (SimpleNamespace(name=n, children=[]) for n in ("l1", "l2", "l3"))
    mid = SimpleNamespace(name="mid", children=[leaf1, leaf2])
    return SimpleNamespace(name="root", children=[mid, leaf3])


def test_walk_hierarchy_in_both_orders_as_stalker() -> None:
    from stalker_core.models.enum import TraversalDirection

    root = _tree()
    for method in (0, 1, "DepthFirst", TraversalDirection.BreadthFirst):
        ours = [n.name for n in utils.walk_hierarchy(root, "children", method)]
        kind = int(method) if not isinstance(method, str) else 0
        assert ours == [n.name for n in theirs.walk_hierarchy(root, "children", kind)]
    assert [n.name for n in utils.walk_hierarchy(root, "children")][:3] == ["root", "mid", "l1"]
    with pytest.raises(ValueError, match="DepthFirst"):
        list(utils.walk_hierarchy(root, "children", 7))


def test_check_circular_dependency() -> None:
    root = _tree()
    leaf = root.children[0].children[0]
    utils.check_circular_dependency(leaf, root.children[1], "children")  # no loop
    with pytest.raises(CircularDependencyError, match="'l1' and 'root'"):
        utils.check_circular_dependency(root, leaf, "children")
