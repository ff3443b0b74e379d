"""A scene with one container in every inventory state (controller and panel tests)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wf_helpers import Demo

from stalker_core.hosts import Container
from stalker_core.testing.fake_host import FakeHost

#: the version id a "missing" container records (no such version)
MISSING_ID = 987654


@dataclass
class Scene:
    """The model task's versions and a FakeHost whose scene references them.

    Containers: ``fresh`` (v002, the latest published: up to date), ``old``
    and ``older`` (v001: outdated), ``held`` (v001, locked), ``plate`` (no
    version id: untracked) and ``ghost`` (a deleted version: missing).
    """

    v1: Any
    v2: Any
    v3: Any
    host: FakeHost


def model_versions(session: Any, demo: Demo, pm: Any) -> tuple[Any, Any, Any]:
    """v001 and v002 of the model task published, v003 saved only."""
    from stalker_core.workflows import publish, save_as_version

    maker = FakeHost(capabilities=())  # a model needs no capability; publish falls back
    out = []
    for i in range(3):
        maker.edit(f"model {i}")
        v = save_as_version(maker, demo.model, session=session, pm=pm)
        if i < 2:
            publish(maker, v, session=session, pm=pm)
        out.append(v)
    return out[0], out[1], out[2]


def put(host: FakeHost, name: str, version: Any, *, locked: bool = False,
        version_id: int | None | str = "version") -> Container:
    """Add a container called ``name`` for ``version`` to the scene of ``host``."""
    vid = version.id if version_id == "version" else version_id
    c = Container(name, Path(version.absolute_full_path), vid, locked)  # type: ignore[arg-type]
    host.references.append(c)
    return c


def build_scene(session: Any, demo: Demo, pm: Any, host: FakeHost | None = None) -> Scene:
    """The scene of :class:`Scene` in ``host`` (default: a new FakeHost)."""
    v1, v2, v3 = model_versions(session, demo, pm)
    host = host if host is not None else FakeHost()
    put(host, "fresh", v2)
    put(host, "old", v1)
    put(host, "older", v1)
    put(host, "held", v1, locked=True)
    put(host, "plate", v1, version_id=None)
    put(host, "ghost", v1, version_id=MISSING_ID)
    return Scene(v1, v2, v3, host)


class DatabaseDown:
    """Makes ``session``'s queries fail as a lost connection does while :attr:`down` is True."""

    def __init__(self, session: Any, monkeypatch: Any, reason: str) -> None:
        from sqlalchemy.exc import OperationalError

        self.down = True
        for name in ("execute", "scalars"):
            real = getattr(session, name)

            def flaky(*args: Any, _real: Any = real, **kwargs: Any) -> Any:
                if self.down:
                    raise OperationalError("SELECT", {}, Exception(reason))
                return _real(*args, **kwargs)

            monkeypatch.setattr(session, name, flaky)


def veto(name: str, message: str) -> object:
    """A plugin whose ``stalker_references_before_update`` keeps the reference ``name``."""
    from stalker_core.exceptions import VetoError
    from stalker_core.plugins.api import hookimpl

    class Keep:
        @hookimpl
        def stalker_references_before_update(self, container: Any) -> None:
            if container.name == name:
                raise VetoError(message)

    return Keep()
