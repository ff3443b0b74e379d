"""Check ids: a host plugin takes generic publish checks over; elsewhere they still run."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from stalker_core.exceptions import PluginError, PublishValidationError, ValidationError
from stalker_core.plugins import call_each, get_plugin_manager
from stalker_core.plugins.api import ValidationResult, check, check_of, hookimpl
from stalker_core.plugins.checks import CHECK_ATTRIBUTE, check_check_id, overridden_ids
from stalker_core.testing.fake_host import FakeHost
from stalker_core.workflows import publish, save_as_version, validate

sys.path.insert(0, str(Path(__file__).parents[1] / "workflows"))
from wf_helpers import build_project, make_pm  # noqa: E402


class SpecialHostPlugin:
    """A host plugin with its own, more specific frame-range and unsaved-changes checks."""

    def __init__(self) -> None:
        self.calls = 0

    @hookimpl
    def stalker_publish_overridden_checks(self, host: Any) -> list[str] | None:
        return ["frame_range", "unsaved_changes"] if host.name == "special" else None

    @hookimpl(specname="stalker_publish_validate")
    @check("frame_range")
    def special_frame_range(self, host: Any, item: Any) -> list[ValidationResult] | None:
        if host.name != "special" or item.kind != "workfile":
            return None
        self.calls += 1
        if host.get_frame_range() == (1001, 1050):
            return []
        return [ValidationResult(
            "Frame range", "special: the range and the handles differ from the shot",
            repair=lambda: host.set_frame_range(1001, 1050),
        )]

    @hookimpl(specname="stalker_publish_validate")
    @check("unsaved_changes")
    def special_unsaved(self, host: Any, item: Any) -> list[ValidationResult] | None:
        if host.name != "special" or item.kind != "workfile":
            return None
        if host.has_unsaved_changes():
            return [ValidationResult("Unsaved changes", "special: save a new version")]
        return []


def saved_version(session: Any, tmp_path: Path, host: FakeHost, pm: Any) -> Any:
    demo = build_project(session, tmp_path / "repo")
    return save_as_version(host, demo.comp, session=session, pm=pm)


def by_title(report: Any) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for r in report.results:
        out.setdefault(r.title, []).append(r.plugin)
    return out


# -- declarations ---------------------------------------------------------------------------


def test_check_decorator_marks_the_function() -> None:
    @check("studio.naming")
    def validator() -> None: ...

    assert check_of(validator) == "studio.naming"
    assert getattr(validator, CHECK_ATTRIBUTE) == "studio.naming"
    assert check_of(lambda: None) is None


@pytest.mark.parametrize("bad", ["", "Frame", "frame range", "1fps", "a..b", "a.", 7, None])
def test_malformed_check_ids_refused(bad: Any) -> None:
    with pytest.raises(ValidationError, match="lower-case words joined by dots"):
        check(bad)
    with pytest.raises(ValidationError):
        check_check_id(bad)


@pytest.mark.parametrize("answer", ["frame_range", 3, ["Frame"], [None]])
def test_bad_override_answers_name_the_plugin(answer: Any) -> None:
    with pytest.raises(PluginError, match="'hosty'"):
        overridden_ids("hosty", answer)


def test_call_each_select_skips_implementations() -> None:
    class A:
        @hookimpl
        def stalker_publish_validate(self, item: Any) -> list[str]:
            return ["a"]

    class B:
        @hookimpl
        def stalker_publish_validate(self, item: Any) -> list[str]:
            return ["b"]

    pm = get_plugin_manager(builtins=(), load_entrypoints=False, plugins=[A(), B()], use_env=False)
    every = call_each(pm, "stalker_publish_validate", host=None, context=None, item=None)
    assert sorted(r for _, (r,) in every) == ["a", "b"]
    only_a = call_each(
        pm, "stalker_publish_validate",
        select=lambda name, impl: impl.plugin.__class__.__name__ == "A",
        host=None, context=None, item=None,
    )
    assert [r for _, (r,) in only_a] == ["a"]


# -- publishing: each problem once --------------------------------------------------------


def test_host_plugin_overrides_generic_checks(session: Any, tmp_path: Path) -> None:
    special = SpecialHostPlugin()
    pm = make_pm(special)
    host = FakeHost("special", frame_range=(1, 24), fps=24.0)
    v = saved_version(session, tmp_path, host, pm)
    host.edit()
    report = validate(host, v, session=session, pm=pm)
    found = by_title(report)
    # the special plugin reports range and unsaved changes once; the generic fps check still runs
    assert len(found["Frame range"]) == 1 and len(found["Unsaved changes"]) == 1
    assert [r.message for r in report.results if r.title == "Frame range"] == [
        "special: the range and the handles differ from the shot"
    ]
    assert found["Frame rate"] == ["publish.fps"]
    assert {r.check for r in report.results} == {"frame_range", "unsaved_changes", "fps"}
    special_name = next(n for n, p in pm.list_name_plugin() if p is special)
    assert report.overridden == {
        "frame_range": (special_name,),
        "unsaved_changes": (special_name,),
    }
    assert sorted(c for _, c in report.skipped) == ["frame_range", "unsaved_changes"]
    assert {p for p, _ in report.skipped} == {"stalker_publish.plugin"}


def test_generic_checks_run_for_other_hosts(session: Any, tmp_path: Path) -> None:
    special = SpecialHostPlugin()
    pm = make_pm(special)
    host = FakeHost("fake", frame_range=(1, 24), fps=24.0)
    v = saved_version(session, tmp_path, host, pm)
    host.edit()
    report = validate(host, v, session=session, pm=pm)
    found = by_title(report)
    assert found["Frame range"] == ["publish.frame_range"]
    assert found["Unsaved changes"] == ["publish.unsaved_changes"]
    assert found["Frame rate"] == ["publish.fps"]
    assert report.overridden == {} and report.skipped == []
    assert special.calls == 0


def test_a_plugin_never_overrides_its_own_validators(session: Any, tmp_path: Path) -> None:
    class Studio:
        @hookimpl
        def stalker_publish_overridden_checks(self) -> list[str]:
            return ["studio.naming"]

        @hookimpl(specname="stalker_publish_validate")
        @check("studio.naming")
        def naming(self, item: Any) -> list[ValidationResult]:
            return [ValidationResult("Naming", "bad names", severity="warning")]

    pm = make_pm(Studio())
    host = FakeHost(frame_range=(1001, 1050))
    v = saved_version(session, tmp_path, host, pm)
    report = validate(host, v, session=session, pm=pm)
    assert [(r.title, r.check) for r in report.results] == [("Naming", "studio.naming")]
    assert report.skipped == []


def test_studio_plugin_turns_a_builtin_check_off(session: Any, tmp_path: Path) -> None:
    class NoFps:
        @hookimpl
        def stalker_publish_overridden_checks(self) -> list[str]:
            return ["fps"]

    pm = make_pm(NoFps())
    host = FakeHost(frame_range=(1001, 1050), fps=30.0)
    v = saved_version(session, tmp_path, host, pm)
    report = publish(host, v, session=session, pm=pm)
    assert report.published and report.results == []
    assert [c for _, c in report.skipped] == ["fps"]


def test_auto_repair_revalidates_with_the_overrides(session: Any, tmp_path: Path) -> None:
    special = SpecialHostPlugin()
    pm = make_pm(special)
    special_name = next(n for n, p in pm.list_name_plugin() if p is special)
    host = FakeHost("special", frame_range=(1, 24))
    demo = build_project(session, tmp_path / "repo")
    v = save_as_version(host, demo.comp, session=session, pm=pm)
    with pytest.raises(PublishValidationError) as caught:
        publish(host, v, session=session, pm=pm, auto_repair=True)
    # the special repair fixed the range; the scene now differs from the file: reported once
    assert host.get_frame_range() == (1001, 1050)
    assert [(r.title, r.plugin) for r in caught.value.results] == [
        ("Unsaved changes", special_name)
    ]
    fixed = save_as_version(host, demo.comp, session=session, pm=pm)
    assert publish(host, fixed, session=session, pm=pm).published
    assert special.calls == 3


def test_bad_override_answer_fails_validation(session: Any, tmp_path: Path) -> None:
    class Broken:
        @hookimpl
        def stalker_publish_overridden_checks(self) -> str:
            return "frame_range"

    pm = make_pm(Broken())
    host = FakeHost(frame_range=(1001, 1050))
    v = saved_version(session, tmp_path, host, pm)
    with pytest.raises(PluginError, match="expected a list of check ids"):
        validate(host, v, session=session, pm=pm)
