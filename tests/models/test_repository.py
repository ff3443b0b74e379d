"""Repository: normalised paths, per-OS path, REPO env vars, path conversions."""

from __future__ import annotations

import os
from typing import Any

import pytest

from stalker_core.exceptions import RepositoryError, StalkerTypeError, ValidationError
from stalker_core.models import repository as repo_mod
from stalker_core.models.paths import join_path, normalize_path
from stalker_core.models.repository import (
    Repository,
    find_repo,
    register_all_env_vars,
    to_native_path,
    to_os_independent_path,
)


@pytest.fixture
def on_os(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Pretend to run on a given OS: ``on_os("windows")``."""

    def set_os(name: str) -> None:
        monkeypatch.setattr(repo_mod, "current_os", lambda: name)

    return set_os


def make_repo(**kw: Any) -> Repository:
    kw.setdefault("name", "Commercial Repository")
    kw.setdefault("code", "CR")
    return Repository(**kw)


# -- normalisation (no database) ------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("M:\\commercials", "M:/commercials"),
        ("M:\\commercials\\", "M:/commercials"),
        ("M:/commercials/", "M:/commercials"),
        ("/mnt/M//commercials/", "/mnt/M/commercials"),
        ("\\\\server\\share\\jobs", "//server/share/jobs"),
        ("M:\\", "M:/"),
        ("/", "/"),
        ("", ""),
    ],
)
def test_paths_are_stored_with_forward_slashes(typed: str, stored: str) -> None:
    repo = make_repo(windows_path=typed)
    assert repo.windows_path == stored


def test_all_three_paths_normalised() -> None:
    repo = make_repo(
        linux_path="/mnt/M/commercials/",
        macos_path="/Volumes/M//commercials",
        windows_path="M:\\commercials",
    )
    assert repo.paths() == {
        "linux": "/mnt/M/commercials",
        "macos": "/Volumes/M/commercials",
        "windows": "M:/commercials",
    }


@pytest.mark.parametrize("bad", ["M:\\commercials/jobs", "/mnt\\M/x"])
def test_mixed_separators_refused(bad: str) -> None:
    with pytest.raises(ValidationError, match="mixes '/' and"):
        make_repo(windows_path=bad)


@pytest.mark.parametrize("bad", ["/mnt/M/commercials ", " /mnt/M", "M:/x\t"])
def test_surrounding_spaces_refused(bad: str) -> None:
    with pytest.raises(ValidationError, match="white space"):
        make_repo(linux_path=bad)


def test_path_must_be_a_string() -> None:
    with pytest.raises(StalkerTypeError, match="Repository.linux_path should be a str"):
        make_repo(linux_path=42)


def test_path_for_running_os(on_os: Any) -> None:
    repo = make_repo(
        linux_path="/mnt/M/commercials",
        macos_path="/Volumes/M/commercials",
        windows_path="M:\\commercials",
    )
    on_os("linux")
    assert repo.path == "/mnt/M/commercials"
    on_os("macos")
    assert repo.path == "/Volumes/M/commercials"
    on_os("windows")
    assert repo.path == "M:/commercials"
    repo.path = "N:\\other"
    assert repo.windows_path == "N:/other"
    assert repo.linux_path == "/mnt/M/commercials"


def test_join_has_no_double_slashes() -> None:
    assert join_path("/mnt/M/", "/FC/", "SH001//comp") == "/mnt/M/FC/SH001/comp"
    assert join_path("M:/", "FC") == "M:/FC"
    assert join_path("//server/share/", "x") == "//server/share/x"
    assert normalize_path("a//b///c/") == "a/b/c"
    repo = make_repo(linux_path="/mnt/M/")
    assert repo.to_native("/FC/x") == "/mnt/M/FC/x"


# -- environment variables ---------------------------------------------------------


def test_env_vars_set_on_create_change_and_load(session: Any, on_os: Any) -> None:
    on_os("linux")
    repo = make_repo(linux_path="/mnt/M/commercials")
    session.add(repo)
    session.commit()
    assert os.environ[f"REPO{repo.id}"] == "/mnt/M/commercials"
    assert os.environ["REPOCR"] == "/mnt/M/commercials"

    repo.linux_path = "/mnt/N/commercials"  # changed: visible at once
    assert os.environ[f"REPO{repo.id}"] == "/mnt/N/commercials"
    session.commit()

    repo_id = repo.id
    del os.environ[f"REPO{repo_id}"]
    del os.environ["REPOCR"]
    session.expunge_all()
    loaded = session.get(Repository, repo_id)  # loaded: registered again
    assert loaded is not None
    assert os.environ[f"REPO{repo_id}"] == "/mnt/N/commercials"
    assert os.environ["REPOCR"] == "/mnt/N/commercials"


def test_register_all_env_vars(session: Any, on_os: Any) -> None:
    on_os("linux")
    a = make_repo(name="A", code="RA", linux_path="/a")
    b = make_repo(name="B", code="RB", linux_path="/b")
    session.add_all([a, b])
    session.commit()
    for key in (f"REPO{a.id}", f"REPO{b.id}", "REPORA", "REPORB"):
        os.environ.pop(key, None)
    assert register_all_env_vars(session) == 2
    assert os.environ[f"REPO{a.id}"] == "/a"
    assert os.environ["REPORB"] == "/b"


def test_db_setup_registers_existing_repositories(db_url: str, on_os: Any) -> None:
    from stalker_core import db
    from stalker_core.orm.session import DBSession

    on_os("linux")
    engine = db.setup({"sqlalchemy.url": db_url})
    try:
        repo = make_repo(code="SETUP", linux_path="/srv/setup")
        DBSession.add(repo)
        DBSession.commit()
        repo_id = repo.id
        DBSession.remove()
        os.environ.pop(f"REPO{repo_id}", None)
        os.environ.pop("REPOSETUP", None)
        engine.dispose()
        engine = db.setup({"sqlalchemy.url": db_url})
        assert os.environ[f"REPO{repo_id}"] == "/srv/setup"
        assert os.environ["REPOSETUP"] == "/srv/setup"
    finally:
        DBSession.remove()
        engine.dispose()


# -- conversions --------------------------------------------------------------------


@pytest.fixture
def two_repos(session: Any, on_os: Any) -> tuple[Repository, Repository]:
    on_os("linux")
    a = make_repo(
        name="Commercials",
        code="CR",
        linux_path="/mnt/M/commercials",
        macos_path="/Volumes/M/commercials",
        windows_path="M:/commercials",
    )
    b = make_repo(
        name="Nested",
        code="NS",
        linux_path="/mnt/M/commercials/nested",
        windows_path="M:/commercials/nested",
    )
    session.add_all([a, b])
    session.commit()
    return a, b


def test_find_repo_any_os_form(session: Any, two_repos: Any) -> None:
    a, b = two_repos
    assert find_repo("/mnt/M/commercials/FC/x.ma", session) is a
    assert find_repo("/Volumes/M/commercials/FC", session) is a
    assert find_repo("m:\\Commercials\\FC\\x.ma", session) is a  # Windows: case-insensitive
    assert find_repo("/mnt/M/commercials/nested/x", session) is b  # longest root wins
    assert find_repo(f"$REPO{a.id}/FC", session) is a
    assert find_repo("$REPOCR/FC", session) is a
    assert find_repo("/elsewhere/x", session) is None
    assert find_repo("/mnt/M/commercials_old/x", session) is None
    assert Repository.find_repo("M:/commercials/x", session) is a


def test_to_os_independent_path(session: Any, two_repos: Any) -> None:
    assert to_os_independent_path("M:\\commercials\\FC\\SH001", session) == "$REPOCR/FC/SH001"
    assert to_os_independent_path("/Volumes/M/commercials/FC/", session) == "$REPOCR/FC"
    assert to_os_independent_path("/elsewhere/x", session) == "/elsewhere/x"
    assert Repository.to_os_independent_path("/mnt/M/commercials", session) == "$REPOCR"


def test_to_native_path(session: Any, two_repos: Any, on_os: Any) -> None:
    a, _ = two_repos
    on_os("linux")
    assert to_native_path("M:/commercials/FC/x.ma", session) == "/mnt/M/commercials/FC/x.ma"
    assert to_native_path(f"$REPO{a.id}/FC", session) == "/mnt/M/commercials/FC"
    on_os("windows")
    assert to_native_path("/mnt/M/commercials/FC/x.ma", session) == "M:/commercials/FC/x.ma"
    assert Repository.to_native_path("${REPOCR}/FC", session) == "M:/commercials/FC"
    assert to_native_path("/elsewhere/x", session) == "/elsewhere/x"
    with pytest.raises(RepositoryError, match="does not exist"):
        to_native_path("$REPO999999/x", session)


def test_make_relative(two_repos: Any) -> None:
    a, _ = two_repos
    assert a.make_relative("/mnt/M/commercials/FC") == "$REPOCR/FC"
    with pytest.raises(RepositoryError, match="not inside repository"):
        a.make_relative("/tmp/x")


def test_the_code_of_a_repository_that_stored_paths_use_cannot_change(session: Any) -> None:
    from stalker_core.models import File, Project, Repository, Task, Version

    used = Repository(name="Used", code="R_1", linux_path="/mnt/used")
    other = Repository(name="Other", code="R_10", linux_path="/mnt/other")
    project = Project(name="P", code="P", repositories=[used, other])
    task = Task(name="comp", project=project)
    session.add(project)
    session.commit()
    other.code = "R_11"  # no stored path starts with $REPOR_10/: free to change
    session.commit()
    version = Version(task=task)
    version.path, version.filename = "$REPOR_1/P/comp", "comp_v001"
    session.add(File(name="plate", full_path="$REPOR_1/plates/plate.exr"))
    session.commit()
    with pytest.raises(ValidationError, match=r"Repository.code cannot change from 'R_1' to "
                       r"'R2': 1 version\(s\) and 1 file\(s\) store their paths as \$REPOR_1/"):
        used.code = "R2"
    assert used.code == "R_1"
    used.name = "Renamed"  # the name is free
    session.commit()
    # '_' is no wildcard: $REPORx1/ paths do not hold R_1 back
    version.path = "$REPORx1/P/comp"
    session.query(File).delete()
    session.commit()
    used.code = "R2"
    session.commit()
    assert session.get(Repository, used.id).code == "R2"
