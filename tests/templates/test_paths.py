"""Rendered paths must stay inside the project's repositories."""

from __future__ import annotations

from typing import Any

import pytest

from stalker_core.exceptions import PathEscapeError, TemplateRenderError
from stalker_core.models.repository import Repository
from stalker_core.templates import check_rendered_filename, check_rendered_path


@pytest.fixture
def repos() -> list[Any]:
    repo = Repository(
        name="R", code="CR", linux_path="/mnt/M/commercials", windows_path="M:/commercials"
    )
    repo.id = 7  # a stored repository (no database needed for these checks)
    return [repo]


def test_repo_var_paths_are_normalised(repos: list[Any]) -> None:
    assert check_rendered_path("$REPO7/FC/SH001/comp/", repos, what="p") == "$REPO7/FC/SH001/comp"
    assert check_rendered_path("$REPOCR//FC", repos, what="p") == "$REPOCR/FC"
    assert check_rendered_path("${REPO7}/FC", repos, what="p") == "${REPO7}/FC"


def test_relative_paths_are_kept(repos: list[Any]) -> None:
    assert check_rendered_path("FC/SH001/", repos, what="p") == "FC/SH001"


def test_absolute_path_inside_a_repository_becomes_repo_relative(repos: list[Any]) -> None:
    assert check_rendered_path("/mnt/M/commercials/FC", repos, what="p") == "$REPO7/FC"
    assert check_rendered_path("M:\\commercials\\FC", repos, what="p") == "$REPO7/FC"


@pytest.mark.parametrize(
    "bad",
    [
        "$REPO7/FC/../../etc",
        "../outside",
        "FC/..",
        "/etc/passwd",
        "C:/Windows",
        "\\\\server\\share",
        "$REPO999/FC",
    ],
)
def test_escaping_paths_refused(repos: list[Any], bad: str) -> None:
    with pytest.raises(PathEscapeError):
        check_rendered_path(bad, repos, what="FilenameTemplate 'T'.path rendered")


@pytest.mark.parametrize("bad", ["a/b", "..", "x\\y", "/abs", "C:x"])
def test_filename_must_be_one_component(bad: str) -> None:
    with pytest.raises(PathEscapeError, match="not a plain file name"):
        check_rendered_filename(bad, what="filename")


def test_plain_filename_ok() -> None:
    assert check_rendered_filename(" SH001_comp_Main_v001 ", what="f") == "SH001_comp_Main_v001"


BAD_CHARACTERS = ["\x00", "\n", "\r", "\t", "\x1b", "\x7f", "\x85", "\ud800"]


@pytest.mark.parametrize("char", BAD_CHARACTERS)
def test_control_characters_in_a_rendered_path_are_refused(
    repos: list[Any], char: str
) -> None:
    what = "FilenameTemplate 'T'.path rendered"
    with pytest.raises(TemplateRenderError) as info:
        check_rendered_path(f"$REPO7/FC/a{char}b/x", repos, what=what)
    assert what in str(info.value)
    assert repr(char) in str(info.value)
    assert info.value.character == char  # type: ignore[attr-defined]


@pytest.mark.parametrize("char", BAD_CHARACTERS)
def test_control_characters_in_a_rendered_filename_are_refused(char: str) -> None:
    what = "FilenameTemplate 'T'.filename rendered"
    with pytest.raises(TemplateRenderError) as info:
        check_rendered_filename(f"SH001{char}_v001", what=what)
    assert what in str(info.value) and repr(char) in str(info.value)


def test_surrounding_whitespace_is_still_trimmed(repos: list[Any]) -> None:
    assert check_rendered_filename("\n SH001_v001\n", what="f") == "SH001_v001"
    assert check_rendered_path("\nFC/SH001\n", repos, what="p") == "FC/SH001"
