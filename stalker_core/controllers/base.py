"""The base of every panel controller: session, host, plugins, guarded database calls."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from stalker_core.exceptions import DatabaseUnavailableError
from stalker_core.workflows.common import plugin_manager_or_default, session_or_default

if TYPE_CHECKING:
    import pluggy

    from stalker_core.hosts import Host

P = ParamSpec("P")
T = TypeVar("T")

__all__ = ["CallLog", "DatabaseCall", "PanelController", "Problem", "problem_of"]


@dataclass(frozen=True)
class DatabaseCall:
    """One timed database call of a controller."""

    label: str
    seconds: float
    thread: str


@dataclass
class CallLog:
    """The database calls a controller made, with their durations.

    The benchmarks read it to report the slowest call made on the UI thread.
    """

    calls: list[DatabaseCall] = field(default_factory=list)

    def add(self, label: str, seconds: float) -> None:
        """Record a call that took ``seconds``."""
        self.calls.append(DatabaseCall(label, seconds, threading.current_thread().name))

    def slowest(self, thread: str | None = None) -> DatabaseCall | None:
        """The longest call, of ``thread`` only when given (``"MainThread"``)."""
        calls = [c for c in self.calls if thread is None or c.thread == thread]
        return max(calls, key=lambda c: c.seconds, default=None)

    def clear(self) -> None:
        """Forget the recorded calls."""
        self.calls.clear()


@dataclass(frozen=True)
class Problem:
    """What a panel shows in its error banner instead of a traceback.

    :param message: one sentence: what went wrong and what to do.
    :param retry: True when trying again may help (the database was unreachable).
    """

    message: str
    retry: bool = False


def problem_of(exc: BaseException) -> Problem:
    """The banner text of an exception a controller raised."""
    if isinstance(exc, DatabaseUnavailableError):
        return Problem(str(exc), retry=True)
    text = str(exc) or type(exc).__name__
    return Problem(text, retry=False)


def _is_connection_error(exc: BaseException) -> bool:
    from sqlalchemy import exc as sa_exc

    if isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError))


class PanelController:
    """Shared by the panel controllers: where data comes from and goes to.

    :param host: the current host (any object of the
        :class:`~stalker_core.hosts.Host` protocol), or ``None`` for panels
        that only browse the database.
    :param session: a SQLAlchemy session (default ``DBSession``).
    :param plugin_manager: the plugin manager (default: a new one with the
        installed plugins).
    """

    def __init__(
        self,
        host: Host | None = None,
        *,
        session: Any = None,
        plugin_manager: pluggy.PluginManager | None = None,
    ) -> None:
        self.host = host
        self.session = session_or_default(session)
        self._pm = plugin_manager
        #: the timed database calls of this controller
        self.call_log = CallLog()

    @property
    def plugin_manager(self) -> pluggy.PluginManager:
        """The plugin manager (built on first use)."""
        if self._pm is None:
            self._pm = plugin_manager_or_default(None)
        return self._pm

    def __repr__(self) -> str:
        host = getattr(self.host, "name", None)
        return f"<{type(self).__name__} host={host!r}>"

    @contextmanager
    def timed(self, label: str) -> Iterator[None]:
        """Time a block of database work under ``label`` in :attr:`call_log`.

        A lost or refused connection inside it is rolled back and raised as
        :class:`~stalker_core.exceptions.DatabaseUnavailableError`.
        """
        start = time.perf_counter()
        try:
            yield
        except DatabaseUnavailableError:
            self._rollback_quietly()  # the engine said so already (a lost connection)
            raise
        except Exception as exc:
            if not _is_connection_error(exc):
                raise
            self._rollback_quietly()
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise DatabaseUnavailableError(
                f"the database cannot be reached ({reason}); check the connection or the "
                f"server, then retry"
            ) from exc
        finally:
            self.call_log.add(label, time.perf_counter() - start)

    def db_call(self, label: str, func: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """Call ``func(*args, **kwargs)`` as timed database work (see :meth:`timed`)."""
        with self.timed(label):
            return func(*args, **kwargs)

    def _rollback_quietly(self) -> None:
        try:
            self.session.rollback()
        except Exception:  # noqa: BLE001 - the connection is gone; nothing to roll back
            pass
