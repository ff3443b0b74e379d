"""PublishRun: the publish one plugin call at a time, stopping, chosen items (both DBs)."""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path
from typing import Any

import publish_helpers
import pytest
from wf_helpers import Demo, files_under

from stalker_core.exceptions import PluginError, PublishError
from stalker_core.plugins.api import PublishItem, ValidationResult, check, hookimpl
from stalker_core.testing.fake_host import FakeHost
from stalker_core.workflows import publish
from stalker_core.workflows.publish import RAISED_TITLE, PublishRun, PublishStep

# the shared fixtures
saved = publish_helpers.saved


def impls(pm: Any, hook: str) -> int:
    return len(getattr(pm.hook, hook).get_hookimpls())


def test_steps_name_each_call_and_count_each_stage(
    session: Any, pm: Any, saved: tuple[FakeHost, Any]
) -> None:
    host, v = saved
    run = PublishRun(host, v, session=session, pm=pm)
    steps = list(run.steps())
    validators = impls(pm, "stalker_publish_validate")
    assert steps[:3] == [
        PublishStep("collect", 0, 1), PublishStep("collect", 1, 1, "stalker_publish.plugin"),
        PublishStep("validate", 0, validators),
    ]
    assert [s.done for s in steps if s.stage == "validate"] == list(range(validators + 1))
    assert {s.item for s in steps if s.stage == "validate" and s.done} == {"workfile"}
    # integration's last call (placing and committing) ends the run: no step after it
    integrate = [s for s in steps if s.stage == "integrate"]
    assert integrate[-1].done == integrate[-1].total - 1
    assert str(steps[1]) == "collect 1/1: stalker_publish.plugin"
    assert run.report.published and v.is_published
    assert {c.check for c in run.calls} >= {"version_match", "file_location"}
    assert all(c.passed for c in run.calls)


def test_a_wrapped_hook_runs_whole_in_one_step(
    session: Any, pm: Any, saved: tuple[FakeHost, Any]
) -> None:
    host, v = saved
    seen: list[int] = []

    class Counting:
        @hookimpl(wrapper=True)
        def stalker_publish_validate(
            self, item: Any
        ) -> Generator[None, list[Any], list[Any]]:
            found = yield
            seen.append(len(found))
            return found

    pm.register(Counting(), name="counting")
    run = PublishRun(host, v, session=session, pm=pm)
    steps = [s for s in run.steps("validate") if s.stage == "validate"]
    assert [(s.done, s.total, s.plugin) for s in steps] == [(0, 1, ""), (1, 1, "")]
    assert seen == [impls(pm, "stalker_publish_validate") - 1 - 1]  # less the wrapper, scene_saved
    assert {c.plugin for c in run.calls} == {"stalker_publish.plugin"}


def test_closing_the_run_while_integrating_rolls_back(
    session: Any, demo: Demo, pm: Any, saved: tuple[FakeHost, Any]
) -> None:
    host, v = saved
    before = files_under(demo.root)
    run = PublishRun(host, v, session=session, pm=pm)
    steps = run.steps()
    for step in steps:
        if step.stage == "integrate" and step.done == step.total - 1:
            break
    steps.close()
    assert files_under(demo.root) == before
    session.expire_all()
    assert not v.is_published and not v.outputs
    assert publish(host, v, session=session, pm=pm).published  # the next one works


def test_leave_out_keeps_items_collected_but_unchecked(
    session: Any, pm: Any, saved: tuple[FakeHost, Any]
) -> None:
    host, v = saved
    checked: list[str] = []

    class Camera:
        @hookimpl
        def stalker_publish_collect(self, version: Any) -> list[PublishItem]:
            return [PublishItem("camera", "camera", version)]

        @hookimpl
        def stalker_publish_validate(self, item: PublishItem) -> list[ValidationResult]:
            checked.append(item.name)
            return []

    pm.register(Camera(), name="camera")
    run = PublishRun(host, v, session=session, pm=pm, leave_out=["camera"])
    report = run.run("validate")
    assert [i.name for i in run.collected] == ["workfile", "camera"]
    assert [i.name for i in report.items] == ["workfile"] and checked == ["workfile"]
    every = PublishRun(host, v, session=session, pm=pm, leave_out=["camera", "workfile"])
    with pytest.raises(PublishError, match=r"every collected item \(workfile, camera\) is left"):
        every.run()


class Raising:
    @hookimpl(specname="stalker_publish_validate")
    @check("studio.uv")
    def uv(self, item: Any) -> list[ValidationResult]:
        raise KeyError("uv set")


def test_a_raising_validator_stops_the_run_by_default(
    session: Any, pm: Any, saved: tuple[FakeHost, Any]
) -> None:
    host, v = saved
    pm.register(Raising(), name="uvcheck")
    with pytest.raises(PluginError, match="plugin 'uvcheck' raised in stalker_publish_validate"):
        publish(host, v, session=session, pm=pm)


def test_keep_going_turns_a_raising_validator_into_a_failed_result(
    session: Any, pm: Any, saved: tuple[FakeHost, Any]
) -> None:
    host, v = saved
    pm.register(Raising(), name="uvcheck")
    run = PublishRun(host, v, session=session, pm=pm, keep_going=True)
    report = run.run("validate")
    (error,) = report.errors
    assert (error.title, error.plugin, error.item, error.check) == (
        RAISED_TITLE, "uvcheck", "workfile", "studio.uv"
    )
    assert error.message.startswith(
        "plugin 'uvcheck' raised in stalker_publish_validate: KeyError: 'uv set'"
    )
    assert len(run.calls) == impls(pm, "stalker_publish_validate") - 1  # scene_saved: None


def test_until_must_be_a_stage(session: Any, pm: Any, saved: tuple[FakeHost, Any]) -> None:
    host, v = saved
    with pytest.raises(ValueError, match="until should be one of collect, validate"):
        PublishRun(host, v, session=session, pm=pm).run("deploy")


def test_validation_result_objects_are_names() -> None:
    assert ValidationResult("t", "m", objects="cam1").objects == ("cam1",)
    assert ValidationResult("t", "m", objects=[Path("a"), 2]).objects == ("a", "2")  # type: ignore[arg-type]
