"""Helpers shared by the workflows: the session, the plugin manager, the host."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from stalker_core.exceptions import (
    HostError,
    HostNotAvailableError,
    StalkerError,
    StalkerTypeError,
    WorkfileError,
)
from stalker_core.hosts import Host, missing_host_members

if TYPE_CHECKING:
    import pluggy

    from stalker_core.context import Context


def session_or_default(session: Any) -> Any:
    """``session``, or the tutorial's ``DBSession`` when ``None``."""
    if session is not None:
        return session
    from stalker_core.orm.session import DBSession

    return DBSession


def plugin_manager_or_default(pm: pluggy.PluginManager | None) -> pluggy.PluginManager:
    """``pm``, or a new manager from :func:`~stalker_core.plugins.get_plugin_manager`."""
    if pm is not None:
        return pm
    from stalker_core.plugins import get_plugin_manager

    return get_plugin_manager()


_T = TypeVar("_T")


def host_call(host: Host, doing: str, call: Callable[..., _T], *args: Any) -> _T:
    """``call(*args)``, a call into ``host``: its errors outside stalker_core's hierarchy
    become a :class:`~stalker_core.exceptions.WorkfileError` naming the host and what it
    could not do (``doing``, e.g. ``"save '/x.ma'"``); stalker_core's own pass as they are.
    """
    try:
        return call(*args)
    except StalkerError:
        raise
    except Exception as exc:
        raise WorkfileError(
            f"host {host.name!r} could not {doing}: {type(exc).__name__}: {exc}"
        ) from exc


def check_host(host: Any) -> Host:
    """Return ``host`` when it implements :class:`~stalker_core.hosts.Host`."""
    missing = missing_host_members(host)
    if missing:
        raise StalkerTypeError(
            f"host should implement the Host protocol; {type(host).__name__} lacks "
            f"{', '.join(missing)}"
        )
    if not host.workfile_extensions:
        raise HostError(f"host {host.name!r} declares no workfile extensions")
    return host  # type: ignore[no-any-return]


def get_host(
    pm: pluggy.PluginManager | None = None, context: Context | None = None
) -> Host:
    """Return the active host through the ``stalker_host_get`` firstresult hook.

    :raises HostNotAvailableError: when no plugin answered.
    """
    pm = plugin_manager_or_default(pm)
    host = pm.hook.stalker_host_get(context=context)
    if host is None:
        raise HostNotAvailableError(
            "no host plugin answered stalker_host_get; install or enable a host plugin "
            "(the standalone host is the entry point 'standalone')"
        )
    return check_host(host)
