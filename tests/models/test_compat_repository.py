"""Stalker's Repository path methods, compared with the installed Stalker's answers."""

from __future__ import annotations

from typing import Any

import pytest

import stalker_core.models as ours
from stalker_core.config import defaults
from stalker_core.exceptions import StalkerTypeError

ROOTS = dict(linux_path="/mnt/T/commercials", windows_path="T:/commercials",
             macos_path="/Volumes/T/commercials")
PATHS = [
    "/mnt/T/commercials/FC/SH001/comp/x_v001.nk",
    "T:/commercials/FC/SH001/comp/x_v001.nk",
    "T:\\commercials\\FC\\SH001",
    "/Volumes/T/commercials/FC",
    "/somewhere/else/x.ma",
]


def _repo(m: Any) -> Any:
    return m.Repository(name="Commercials", code="TCR", **ROOTS)


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("method", ["to_linux_path", "to_windows_path", "to_macos_path"])
def test_conversions_answer_as_stalkers(stalker_env: None, method: str, path: str) -> None:
    stalker = pytest.importorskip("stalker")
    theirs = getattr(_repo(stalker), method)(path)
    assert getattr(_repo(ours), method)(path) == theirs


@pytest.mark.parametrize("path", PATHS)
def test_is_in_repo_answers_as_stalkers(stalker_env: None, path: str) -> None:
    stalker = pytest.importorskip("stalker")
    assert _repo(ours).is_in_repo(path) == _repo(stalker).is_in_repo(path)


def test_env_var_and_its_template(stalker_env: None) -> None:
    stalker = pytest.importorskip("stalker")
    assert defaults.repo_env_var_template == stalker.defaults.repo_env_var_template
    assert _repo(ours).env_var == _repo(stalker).env_var == "REPOTCR"


def test_the_repo_variable_form_converts_too() -> None:
    repo = _repo(ours)
    assert repo.to_windows_path("$REPOTCR/FC/x.ma") == "T:/commercials/FC/x.ma"
    assert repo.to_linux_path("${REPOTCR}/FC") == "/mnt/T/commercials/FC"
    assert repo.is_in_repo("$REPOTCR/FC") and not repo.is_in_repo("$REPOOTHER/FC")


def test_to_native_path_on_an_instance_and_on_the_class(session: Any) -> None:
    repo = _repo(ours)
    session.save(repo)
    native = repo.path
    assert repo.to_native_path("T:/commercials/FC") == native + "/FC"
    assert ours.Repository.to_native_path("T:/commercials/FC") == native + "/FC"  # finds it
    assert ours.Repository.find_repo("/Volumes/T/commercials/x") is repo
    assert ours.Repository.to_os_independent_path("T:/commercials/FC/x") == "$REPOTCR/FC/x"


def test_a_path_must_be_a_str() -> None:
    with pytest.raises(StalkerTypeError, match="path"):
        _repo(ours).to_linux_path(3)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        _repo(ours).is_in_repo(None)  # type: ignore[arg-type]
