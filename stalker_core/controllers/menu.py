"""The "Stalker" menu of a DCC (Maya, Nuke) as plain data: what it lists and what each item does.

A host builds its native menu from :meth:`MenuController.entries` and calls
an entry's ``run`` when the artist picks it; no Qt and no DCC is imported
here. The entries, in order:

1. a disabled label naming the open scene's context, ``"SH010 / anim"``
   (:meth:`MenuController.context_label`; never raises);
2. "Version Up": save the scene as the next version of its version's task
   and take (:meth:`MenuController.version_up`);
3. one entry per panel of :func:`~stalker_core.controllers.registry.panel_specs`
   (Work Files, Publisher, ...), whose ``run`` calls the ``show`` callable the
   host gives as ``show(name, host=..., session=..., plugin_manager=...)``
   (the host passes ``stalker_core.ui.show``, which this layer may not import);
4. the ``"menu"`` actions of the plugins
   (:func:`~stalker_core.controllers.registry.ui_actions`), each run as
   ``action.run(host=host)``.

Dividers separate the groups. When the plugins cannot be listed (a plugin
that answers badly), the entry that would hold them is a disabled label
saying why, so the menu is still built.

The database is reached only when a label or a command needs it: with the
default session (``DBSession``) not yet connected, :func:`connect_default_session`
connects it to the configured database first (:func:`stalker_core.db.setup`).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from stalker_core.controllers.base import PanelController
from stalker_core.controllers.registry import panel_specs, ui_actions
from stalker_core.exceptions import WorkfileError
from stalker_core.hosts import VERSION_ID_KEY

if TYPE_CHECKING:
    from stalker_core.models.version.model import Version

__all__ = ["NO_VERSION", "MenuController", "MenuEntry", "connect_default_session"]

log = logging.getLogger(__name__)

#: the context label of a scene that is not a saved version
NO_VERSION = "Not a Stalker version"


@dataclass(frozen=True)
class MenuEntry:
    """One line of the menu.

    :param label: the text shown.
    :param run: what picking it does (no arguments); ``None`` for a disabled label.
    :param divider: a separator line (``label`` and ``run`` unused).
    :param tooltip: a sentence saying what it does.
    """

    label: str
    run: Callable[[], Any] | None = None
    divider: bool = False
    tooltip: str = ""

    @property
    def enabled(self) -> bool:
        """Whether the artist can pick it."""
        return self.run is not None and not self.divider


#: the separator between groups of entries
DIVIDER = MenuEntry("", divider=True)


def connect_default_session(session: Any) -> Any:
    """Return ``session``; connect it first when it is ``DBSession`` with no engine yet.

    A DCC starts with an unconnected ``DBSession``; the first menu that needs
    the database connects it to the configured one
    (:func:`stalker_core.db.setup`) and creates the default data
    (:func:`stalker_core.db.init`). A session already bound is left alone.
    """
    factory = getattr(session, "session_factory", None)
    if factory is not None and factory.kw.get("bind") is None:
        from stalker_core import db

        db.setup()
        db.init()
    return session


class MenuController(PanelController):
    """What the "Stalker" menu of ``host`` shows and does (see the module docstring).

    :param host: the DCC's host adapter.
    :param session: the database session (default ``DBSession``, connected on first use).
    :param plugin_manager: the plugin manager (default: one with the installed plugins).
    """

    def scene_version(self) -> Version | None:
        """The Version recorded in the open scene's metadata, else ``None``.

        The database is not touched for a scene without a version id.
        """
        from stalker_core.models.version.model import Version

        assert self.host is not None
        raw = self.host.get_scene_metadata().get(VERSION_ID_KEY, "")
        if not raw.isdigit():
            return None
        with self.timed("scene version"):
            return connect_default_session(self.session).get(Version, int(raw))

    def context_label(self) -> str:
        """``"<parent or project> / <task>"`` of the scene's version, e.g. ``"SH010 / anim"``.

        Never raises: a scene that is not a version gives :data:`NO_VERSION`,
        a failure (no database) a label that says what went wrong.
        """
        try:
            version = self.scene_version()
        except Exception as exc:  # noqa: BLE001 - the menu must be built whatever happens
            return f"No Stalker context: {type(exc).__name__}: {exc}"[:120]
        if version is None or version.task is None:
            return NO_VERSION
        task = version.task
        owner = task.parent.name if task.parent is not None else task.project.name
        return f"{owner} / {task.name}"

    def version_up(self) -> Version:
        """Save the scene as the next version of its version's task and take.

        :raises WorkfileError: the open scene is not a Stalker version.
        """
        from stalker_core.workflows import save_as_version

        version = self.scene_version()
        if version is None:
            raise WorkfileError(
                "this scene is not a Stalker version: save it with Save As Version first"
            )
        assert self.host is not None
        with self.timed("version up"):
            return save_as_version(
                self.host, version.task, version.take_name,
                session=self.session, pm=self.plugin_manager, parent=version,
            )

    def open_panel(self, show: Callable[..., Any], name: str) -> Any:
        """Open the panel ``name`` with ``show`` for this host, session and plugins.

        The default session is connected first when it can be; when it cannot
        (no database), the panel opens all the same and shows the problem in
        its error banner.
        """
        try:
            connect_default_session(self.session)
        except Exception:  # noqa: BLE001 - the panel reports it, with Retry
            log.warning("the panel %r opens without a database connection", name, exc_info=True)
        return show(name, host=self.host, session=self.session, plugin_manager=self.plugin_manager)

    def entries(self, show: Callable[..., Any]) -> list[MenuEntry]:
        """The menu, top to bottom (see the module docstring).

        :param show: opens a panel, called as ``show(name, host=, session=,
            plugin_manager=)`` (the host passes ``stalker_core.ui.show``).
        """
        found = [
            MenuEntry(self.context_label()),
            DIVIDER,
            MenuEntry(
                "Version Up", self.version_up,
                tooltip="Save the scene as the next version of its task and take",
            ),
        ]
        try:
            panels = [
                MenuEntry(spec.title, functools.partial(self.open_panel, show, spec.name),
                          tooltip=f"Open the {spec.title} panel")
                for spec in panel_specs(self.plugin_manager)
            ]
        except Exception as exc:  # noqa: BLE001 - one bad plugin must not lose the menu
            panels = [MenuEntry(f"Panels unavailable: {exc}"[:120])]
        try:
            actions = [
                MenuEntry(action.label, functools.partial(action.run, host=self.host),
                          tooltip=action.description)
                for action in ui_actions(self.host, "menu", self.plugin_manager)
            ]
        except Exception as exc:  # noqa: BLE001 - as above
            actions = [MenuEntry(f"Menu actions unavailable: {exc}"[:120])]
        for group in (panels, actions):
            if group:
                found += [DIVIDER, *group]
        return found
