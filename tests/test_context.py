"""Context resolution: from the current file's path, else from STALKER_TASK_ID (both DBs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from wf_helpers import build_project, make_pm

from stalker_core import context
from stalker_core.context import (
    TASK_ENV_VAR,
    Context,
    ContextError,
    current_user,
    find_version_by_path,
    resolve_context,
)
from stalker_core.testing.fake_host import FakeHost
from stalker_core.workflows import save_as_version


@pytest.fixture
def demo(session: Any, tmp_path: Path) -> Any:
    return build_project(session, tmp_path / "repo")


def test_from_current_file(session: Any, demo: Any) -> None:
    host = FakeHost()
    v = save_as_version(host, demo.comp, user=demo.user, session=session, pm=make_pm())
    ctx = resolve_context(host, user="artist", environ={}, session=session)
    assert (ctx.project, ctx.task, ctx.version, ctx.user) == (demo.project, demo.comp, v, demo.user)
    assert find_version_by_path(str(v.absolute_full_path), session=session) is v


def test_path_wins_over_env(session: Any, demo: Any) -> None:
    host = FakeHost()
    save_as_version(host, demo.comp, user=demo.user, session=session, pm=make_pm())
    ctx = resolve_context(host, environ={TASK_ENV_VAR: str(demo.model.id)}, session=session)
    assert ctx.task is demo.comp


def test_from_env_when_file_unknown(session: Any, demo: Any, tmp_path: Path) -> None:
    ctx = resolve_context(path=tmp_path / "elsewhere.ma", environ={TASK_ENV_VAR: str(demo.anim.id)},
                          session=session)
    assert ctx.task is demo.anim and ctx.project is demo.project and ctx.version is None


def test_nothing_known_gives_empty_context(session: Any, demo: Any) -> None:
    ctx = resolve_context(FakeHost(), environ={}, session=session)
    assert ctx == Context(user=ctx.user)
    assert ctx.project is None and ctx.task is None


@pytest.mark.parametrize("value,match", [("abc", "integer id"), ("999999", "names no task")])
def test_bad_env_value(session: Any, demo: Any, value: str, match: str) -> None:
    with pytest.raises(ContextError, match=match):
        Context.from_env({TASK_ENV_VAR: value}, session=session)


def test_current_user(session: Any, demo: Any) -> None:
    assert current_user(demo.user, session=session) is demo.user
    assert current_user("artist", session=session) is demo.user
    with pytest.raises(ContextError, match="no user with login 'ghost'"):
        current_user("ghost", session=session)
    found = current_user(None, session=session)
    assert found is None or found.login == context.os_login()
    with pytest.raises(ValueError, match="User or a login"):
        current_user(42, session=session)  # type: ignore[arg-type]
