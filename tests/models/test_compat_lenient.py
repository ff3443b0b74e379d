"""compat.lenient_constructors: Stalker's ignoring of unknown keywords, on request only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from stalker_core import config
from stalker_core.exceptions import StalkerTypeError, StalkerWarning


@pytest.fixture
def restore_config() -> Iterator[None]:
    yield
    config.reset()


def test_unknown_keywords_are_refused_by_default(restore_config: None) -> None:
    from stalker_core.models import Project

    assert config.get_config().compat_lenient_constructors is False
    with pytest.raises(StalkerTypeError, match="Project.. got an unexpected keyword argument "
                                               "'repository'"):
        Project(name="P", code="P", repository=None)
    with pytest.raises(TypeError):  # as Python's own
        Project(name="P", code="P", _private=1)


def test_lenient_constructors_warn_and_ignore(restore_config: None) -> None:
    from stalker_core.models import Project, Shot, Status

    config.configure(compat_lenient_constructors=True)
    with pytest.warns(StalkerWarning, match=r"Project\(\) ignored the unknown keyword "
                                            r"argument 'repository'") as caught:
        project = Project(name="P", code="P", repository="R", fps=24)
    assert project.fps == 24 and project.repository is None and len(caught) == 1
    assert caught[0].filename == __file__  # points at the script's line
    with pytest.warns(StalkerWarning, match="'colour'"):
        status = Status(name="Work", code="WIP", colour="red")
    assert status.code == "WIP"
    with pytest.warns(StalkerWarning, match="Shot"):
        Shot(code="SH1", project=project, stalker_only=1)
    with pytest.raises(StalkerTypeError, match="Project.fps"):  # known keywords stay checked
        Project(name="P", code="P", fps="fast")


def test_the_setting_is_declared_once_and_documented() -> None:
    from pathlib import Path

    assert "compat.lenient_constructors" in config.declared_defaults()
    page = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"
    text = page.read_text(encoding="utf-8")
    assert "[compat]" in text and "lenient_constructors = false" in text
