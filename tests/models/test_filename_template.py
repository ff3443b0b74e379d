"""FilenameTemplate: target entity type, templates checked when set."""

from __future__ import annotations

from typing import Any

import pytest

from stalker_core.exceptions import StalkerTypeError, TemplateRenderError, ValidationError
from stalker_core.models import FilenameTemplate, Shot


def test_target_entity_type_accepts_a_class_or_a_name() -> None:
    assert FilenameTemplate(name="a", target_entity_type=Shot).target_entity_type == "Shot"
    assert FilenameTemplate(name="b", target_entity_type="Asset").target_entity_type == "Asset"


def test_target_entity_type_required() -> None:
    with pytest.raises(ValidationError, match="target_entity_type"):
        FilenameTemplate(name="a")
    with pytest.raises(ValidationError, match="target_entity_type"):
        FilenameTemplate(name="a", target_entity_type="")


def test_syntax_error_refused_when_set() -> None:
    with pytest.raises(TemplateRenderError, match=r"FilenameTemplate 'Broken' \(Task\)\.path"):
        FilenameTemplate(name="Broken", target_entity_type="Task", path="{{ project.code ")
    tpl = FilenameTemplate(name="ok", target_entity_type="Task", path="{{ project.code }}")
    with pytest.raises(TemplateRenderError, match="syntax error"):
        tpl.filename = "{% if %}"
    assert tpl.filename == ""


def test_template_must_be_text() -> None:
    with pytest.raises(StalkerTypeError, match="FilenameTemplate.path should be a str"):
        FilenameTemplate(name="x", target_entity_type="Task", path=3)


def test_stored_and_loaded(session: Any) -> None:
    tpl = FilenameTemplate(
        name="Task Template", target_entity_type="Task", path="$REPO1/x", filename="{{ a }}"
    )
    session.add(tpl)
    session.commit()
    tid = tpl.id
    session.expunge_all()
    loaded = session.get(FilenameTemplate, tid)
    assert (loaded.target_entity_type, loaded.path, loaded.filename) == (
        "Task",
        "$REPO1/x",
        "{{ a }}",
    )


def test_template_may_use_a_plugin_filter() -> None:
    from stalker_core.templates import build_engine

    tpl = FilenameTemplate(name="p", target_entity_type="Task", filename="{{ 'comp'|shout }}")
    engine = build_engine(filters={"shout": str.upper})
    assert engine.render(tpl.filename, {}, tpl.template_name("filename")) == "COMP"
