"""The unmapped, per-instance state of a Version: how it was built and numbered.

A :class:`~stalker_core.models.version.model.Version` carries a little state
that is not a column: whether its number and name were chosen by the library
(so the flush may change them), where it is in its life (being built, ready,
being renumbered, being discarded), and what it needs to render its paths
again. It lives in one :class:`VersionState` per instance, reached with
:func:`state_of`, never in loose attributes; the validators of ``Version``,
:meth:`Version.discard` and the flush step of
:mod:`stalker_core.models.version.numbering` read and write it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

#: the instance attribute holding the state (unmapped; SQLAlchemy ignores it)
_ATTRIBUTE = "_version_state"


class Phase(enum.Enum):
    """Where a Version is in its life; the validators react to it."""

    #: ``Version()`` is setting the keyword arguments: the validators check
    #: values but do not renumber or freeze anything yet
    BUILDING = "building"
    #: built (or loaded from the database): a changed take renumbers an
    #: automatic number, a number set by hand is no longer automatic, a
    #: stored version keeps its task
    READY = "ready"
    #: the library itself is setting ``version_number`` (a new take, or the
    #: flush found the number taken): the number stays automatic
    RENUMBERING = "renumbering"
    #: :meth:`Version.discard` is unlinking the version: its task may become ``None``
    DISCARDING = "discarding"


@dataclass
class VersionState:
    """The unmapped state of one Version instance (see the module docstring).

    A Version loaded from the database gets the default state, in phase
    :attr:`Phase.READY` with nothing automatic.
    """

    phase: Phase = Phase.READY
    #: the number was chosen by the library (not given): the flush may renumber it
    auto_number: bool = False
    #: the name was derived from the number (not given): renumbering renames it
    auto_name: bool = False
    #: the take changed after the provisional number was chosen: the flush
    #: renumbers in the new take even when the number looks free
    take_changed: bool = False
    #: linked to a stored task without loading ``task.versions`` (see
    #: ``Version._link_task``); :meth:`Version.discard` unlinks it the same way
    linked_quietly: bool = False
    #: the :class:`~stalker_core.templates.TemplateEngine` that last rendered the
    #: paths (typed ``Any``: models do not import templates); renumbering renders with it
    engine: Any = None
    #: the file extension (``".blend"``), ``None`` until known (then read
    #: from ``filename`` once)
    extension: str | None = None
    #: ``full_path`` was given explicitly (not rendered): renumbering keeps it
    explicit_path: bool = False

    def enter(self, phase: Phase) -> _PhaseScope:
        """Context manager: be in ``phase`` inside the block, back to the current phase after.

        ::

            with state.enter(Phase.RENUMBERING):
                version.version_number = n
        """
        return _PhaseScope(self, phase)


class _PhaseScope:
    """The context manager of :meth:`VersionState.enter`."""

    def __init__(self, state: VersionState, phase: Phase) -> None:
        self._state = state
        self._phase = phase
        self._previous = state.phase

    def __enter__(self) -> VersionState:
        self._previous = self._state.phase
        self._state.phase = self._phase
        return self._state

    def __exit__(self, *_: Any) -> None:
        self._state.phase = self._previous


def state_of(version: Any) -> VersionState:
    """The :class:`VersionState` of ``version``, created (as for a loaded version) when missing."""
    found: VersionState | None = version.__dict__.get(_ATTRIBUTE)
    if found is None:
        found = version.__dict__[_ATTRIBUTE] = VersionState()
    return found


def new_state(version: Any, **values: Any) -> VersionState:
    """Give ``version`` a fresh :class:`VersionState` (for ``Version.__init__``)."""
    state = version.__dict__[_ATTRIBUTE] = VersionState(**values)
    return state
