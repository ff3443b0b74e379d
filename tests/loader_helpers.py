"""Helpers of the Loader tests (controller, panel, Blender): published versions and actions."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any

from stalker_core.plugins.api import UIAction, hookimpl
from stalker_core.testing import FakeHost


def publish_new(session: Any, pm: Any, task: Any, n: int = 1, login: str = "artist") -> list[Any]:
    """``n`` new versions of ``task`` by the user ``login`` (when there is one), each published.

    Saved from a host without capabilities (the publish falls back to copying
    the file), so any test host can load them afterwards.
    """
    from stalker_core.models import User
    from stalker_core.workflows import publish, save_as_version

    user = session.query(User).filter_by(login=login).one_or_none()
    host = FakeHost(capabilities=())
    out = []
    for i in range(n):
        host.edit(f"{task.name} {i}")
        v = save_as_version(host, task, session=session, pm=pm, user=user)
        publish(host, v, user=user, session=session, pm=pm)
        out.append(v)
    return out


def add_output(session: Any, version: Any, name: str) -> Path:
    """Register one more published file ``name`` in the version's publish folder."""
    from stalker_core.models import File

    path = Path(version.absolute_path) / "publish" / name
    path.write_text("cache")
    version.outputs.append(File(full_path=path.as_posix()))
    session.commit()
    return path


def actions_plugin(name: str, *actions: UIAction) -> types.ModuleType:
    """A plugin module offering ``actions`` to every host (register it with ``pm.register``)."""
    module = types.ModuleType(name)

    def stalker_ui_actions(host: Any, location: str) -> list[UIAction]:
        return list(actions)

    module.stalker_ui_actions = hookimpl(stalker_ui_actions)  # type: ignore[attr-defined]
    return module
