"""update_references step by step: progress, stopping, host errors; set_reference_version."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from inventory_scene import Scene, build_scene
from wf_helpers import Demo

from stalker_core.exceptions import HostCapabilityError, ValidationError, WorkfileError
from stalker_core.testing.fake_host import FakeHost
from stalker_core.workflows.references import (
    UpdateStep,
    VersionNumbers,
    reference_status,
    set_reference_version,
    update_references,
    version_numbers,
)


@pytest.fixture
def scene(session: Any, demo: Demo, pm: Any) -> Scene:
    return build_scene(session, demo, pm)


def test_status_and_numbers(scene: Scene, session: Any) -> None:
    statuses = {s.container.name: s for s in reference_status(scene.host.list_references(),
                                                              session=session)}
    old = statuses["old"]
    assert (old.current, old.latest) == (scene.v1, scene.v2) and old.is_outdated
    assert old.numbers == VersionNumbers(scene.v1.id, scene.v1.task_id, "Main", 1, True, 3, 2)
    assert statuses["fresh"].numbers.target("latest") == 3
    assert not statuses["fresh"].numbers.is_outdated() and statuses["fresh"].numbers.is_outdated(
        "latest")
    assert statuses["ghost"].is_missing and statuses["ghost"].numbers is None
    assert not statuses["plate"].is_missing and statuses["plate"].numbers is None
    latest = {s.container.name: s for s in reference_status(scene.host.list_references(),
                                                            "latest", session=session)}
    assert latest["fresh"].latest == scene.v3 and latest["fresh"].is_outdated
    assert version_numbers([scene.v3.id, 987654321], session=session) == {
        scene.v3.id: VersionNumbers(scene.v3.id, scene.v3.task_id, "Main", 3, False, 3, 2)
    }


def test_progress_sees_every_step_and_can_stop(scene: Scene, session: Any, pm: Any) -> None:
    steps: list[UpdateStep] = []

    def progress(step: UpdateStep) -> bool:
        steps.append(step)
        return step.outcome != "updated"  # stop after the first update

    report = update_references(scene.host, session=session, pm=pm, progress=progress)
    assert [(s.done, s.total, s.status.container.name, s.outcome) for s in steps] == [
        (1, 6, "fresh", "up_to_date"), (2, 6, "old", "updated"),
    ]
    assert steps[1].container.version_id == scene.v2.id
    assert [c.name for c in report.cancelled] == ["older", "held", "plate", "ghost"]
    refs = {c.name: c for c in scene.host.list_references()}
    assert refs["older"].version_id == scene.v1.id


def test_host_error_raises_unless_keep_going(scene: Scene, session: Any, pm: Any) -> None:
    scene.host.inject_fault("replace_reference", times=None)
    with pytest.raises(WorkfileError, match="injected fault"):
        update_references(scene.host, session=session, pm=pm)
    report = update_references(scene.host, session=session, pm=pm, keep_going=True)
    assert [(c.name, why) for c, why in report.failed] == [
        ("old", "injected fault in replace_reference"),
        ("older", "injected fault in replace_reference"),
    ]
    assert [c.name for c in report.locked] == ["held"]


def test_set_reference_version_goes_back_and_forth(scene: Scene, session: Any, pm: Any) -> None:
    c = set_reference_version(scene.host, "fresh", scene.v3, session=session, pm=pm)
    assert c.version_id == scene.v3.id and c.path == Path(scene.v3.absolute_full_path)
    c = set_reference_version(scene.host, c, scene.v1, session=session, pm=pm)
    assert c.version_id == scene.v1.id
    with pytest.raises(ValidationError, match="no reference named 'nope'"):
        set_reference_version(scene.host, "nope", scene.v1, session=session, pm=pm)
    with pytest.raises(HostCapabilityError, match="'references' capability"):
        set_reference_version(FakeHost(capabilities=()), "x", scene.v1, session=session, pm=pm)
