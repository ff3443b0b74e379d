"""Plugin template filters/globals/tests in save_as_version (both DBs)."""

from __future__ import annotations

import threading
import types
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from wf_helpers import Demo, files_under, make_pm

from stalker_core.exceptions import PluginError, TemplateRenderError
from stalker_core.plugins import hookimpl, template_engine
from stalker_core.templates import TemplateEngine, build_engine, default_engine
from stalker_core.testing.fake_host import FakeHost
from stalker_core.workflows import save_as_version

PLUGIN_PATH = (
    "$REPO{{project.repository.code}}/{{project.code}}/{{acme_dept}}/"
    "{%- for p in parent_tasks -%}{{p.nice_name|acme_slug}}/{%- endfor -%}"
    "{% if task is acme_comp %}comp_only{% else %}other{% endif %}"
)
PLUGIN_FILE = '{{version.nice_name|acme_slug}}_v{{"%03d"|format(version.version_number)}}'


def acme_slug(text: Any) -> str:
    return str(text).lower().replace("_", "-")


def template_plugin(name: str = "acme", **extra: Any) -> types.ModuleType:
    mod = types.ModuleType(name)

    @hookimpl
    def stalker_template_environment() -> Any:
        return {
            "filters": {"acme_slug": acme_slug, **extra},
            "globals": {"acme_dept": "vfx"},
            "tests": {"acme_comp": lambda task: task.name == "comp"},
        }

    mod.stalker_template_environment = stalker_template_environment  # type: ignore[attr-defined]
    return mod


def use_plugin_templates(session: Any, demo: Demo) -> None:
    """Make every template of the demo project use the plugin's filter, global and test."""
    for tpl in demo.project.structure.templates:
        tpl.path = PLUGIN_PATH
        tpl.filename = PLUGIN_FILE
    session.commit()


def count_versions(session: Any) -> int:
    from stalker_core.models import Version

    session.expire_all()
    return int(session.scalar(select(func.count()).select_from(Version)))


def test_plugin_filter_renders_through_save_as_version(
    session: Any, demo: Demo, host: FakeHost
) -> None:
    use_plugin_templates(session, demo)
    pm = make_pm(template_plugin())
    before = default_engine()
    seen: dict[str, Any] = {}

    class Spy:
        @hookimpl
        def stalker_workfile_before_save(self) -> None:
            seen["inside"] = default_engine()
            worker = threading.Thread(target=lambda: seen.setdefault("thread", default_engine()))
            worker.start()
            worker.join()

    pm.register(Spy(), name="spy")
    v = save_as_version(host, demo.comp, user=demo.user, session=session, pm=pm)
    expected = demo.root / "TP/vfx/sh001/comp/comp_only/sh001-comp-main_v001.fake"
    assert Path(v.absolute_full_path) == expected and expected.is_file()
    assert v.path == f"$REPO{demo.project.repository.code}/TP/vfx/sh001/comp/comp_only"
    # the plugins' engine was the default during the save only, in this thread only
    assert seen["inside"] is template_engine(pm)
    assert seen["thread"] is before
    assert default_engine() is before
    # the test of the plugin chooses the branch; the second save reuses the engine
    other = save_as_version(host, demo.model, user=demo.user, session=session, pm=pm)
    assert other.full_path.endswith("TP/vfx/hero/model/other/hero-model-main_v001.fake")
    assert count_versions(session) == 2


def test_skipped_number_is_rendered_with_the_plugin_filter(
    session: Any, demo: Demo, host: FakeHost
) -> None:
    use_plugin_templates(session, demo)
    stray = demo.root / "TP/vfx/sh001/comp/comp_only/sh001-comp-main_v001.fake"
    stray.parent.mkdir(parents=True)
    stray.write_text("another tool's file")
    v = save_as_version(host, demo.comp, session=session, pm=make_pm(template_plugin()))
    assert v.version_number == 2
    assert Path(v.absolute_full_path) == stray.with_name("sh001-comp-main_v002.fake")
    assert stray.read_text() == "another tool's file"


def test_missing_plugin_filter_names_it_and_leaves_nothing(
    session: Any, demo: Demo, host: FakeHost, pm: Any
) -> None:
    use_plugin_templates(session, demo)
    with pytest.raises(TemplateRenderError) as info:
        save_as_version(host, demo.comp, session=session, pm=pm)  # no acme plugin loaded
    msg = str(info.value)
    assert "No filter named 'acme_slug'" in msg, msg
    assert "FilenameTemplate" in msg
    assert count_versions(session) == 0
    assert files_under(demo.root) == set()


def test_missing_plugin_global_names_it(session: Any, demo: Demo, host: FakeHost) -> None:
    use_plugin_templates(session, demo)
    only_filter = types.ModuleType("filters_only")

    @hookimpl
    def stalker_template_environment() -> Any:
        return {"filters": {"acme_slug": acme_slug}}

    only_filter.stalker_template_environment = stalker_template_environment  # type: ignore[attr-defined]
    with pytest.raises(TemplateRenderError, match="uses 'acme_dept', which is not defined"):
        save_as_version(host, demo.comp, session=session, pm=make_pm(only_filter))
    assert count_versions(session) == 0


def test_conflicting_plugin_filters_refuse_the_save(
    session: Any, demo: Demo, host: FakeHost
) -> None:
    use_plugin_templates(session, demo)
    pm = make_pm(template_plugin("acme"), template_plugin("vfx_tools"))
    host.edit("work")
    with pytest.raises(PluginError) as info:
        save_as_version(host, demo.comp, session=session, pm=pm)
    msg = str(info.value)
    assert "plugins 'acme' and 'vfx_tools' both contribute the template filter 'acme_slug'" in msg \
        or "plugins 'vfx_tools' and 'acme' both contribute the template filter 'acme_slug'" in msg
    assert count_versions(session) == 0
    assert files_under(demo.root) == set()
    assert host.has_unsaved_changes()  # nothing was saved


def test_explicit_engine_wins_over_the_plugins(
    session: Any, demo: Demo, host: FakeHost, pm: Any
) -> None:
    use_plugin_templates(session, demo)
    engine: TemplateEngine = build_engine(
        filters={"acme_slug": lambda s: f"x{s}"},
        globals={"acme_dept": "anim"},
        tests={"acme_comp": lambda task: False},
    )
    v = save_as_version(host, demo.comp, session=session, pm=pm, engine=engine)
    assert v.full_path.endswith("TP/anim/xSH001/xcomp/other/xSH001_comp_Main_v001.fake")
