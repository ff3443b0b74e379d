"""The optimising mode's helpers (stalker_core.scheduling.native.optimise)."""

from __future__ import annotations

from sched_helpers import problem, task

from stalker_core.scheduling.native.bounds import heads_tails, min_work
from stalker_core.scheduling.native.optimise import _feed_deadlines
from stalker_core.scheduling.native.prepare import prepare


def test_what_feeds_the_critical_resource_is_due_before_its_jobs() -> None:
    # resource 1 does 2 (tail 4: task 4 follows) and 3; task 1 (resource 2) feeds 2
    pr = problem(task(1, timing=3, res=(2,)), task(2, timing=5, res=(1,), deps=(1,)),
                 task(3, timing=2, res=(1,)), task(4, timing=4, res=(2,), deps=(2,)),
                 resources=2)
    prep = prepare(pr)
    work = min_work(prep)
    head, tail = heads_tails(prep, work)
    due = _feed_deadlines(prep, 1, head, tail, work)
    # task 3 is released first and runs 0-2; task 2 (released at 3) at 3; task 1 by 0
    assert due[3] == 0
    assert due[2] == 3
    assert due[1] == 0
    assert 4 not in due
