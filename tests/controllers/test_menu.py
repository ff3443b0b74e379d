"""MenuController: the host menus' entries, without Qt and without a DCC (FakeHost)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.exc import OperationalError
from wf_helpers import Demo

from stalker_core.controllers.menu import NO_VERSION, MenuController, connect_default_session
from stalker_core.controllers.registry import panel_specs
from stalker_core.exceptions import WorkfileError
from stalker_core.testing import FakeHost
from stalker_core.workflows import save_as_version


def test_entries_of_an_unsaved_scene(session: Any, host: FakeHost, pm: Any) -> None:
    entries = MenuController(host, session=session, plugin_manager=pm).entries(print)
    labels = ["---" if e.divider else e.label for e in entries]
    titles = [spec.title for spec in panel_specs(pm)]
    assert labels == [NO_VERSION, "---", "Version Up", "---", *titles]
    assert not entries[0].enabled and entries[2].enabled
    assert all(e.enabled and e.tooltip for e in entries[4:])


def test_version_up_and_the_label(session: Any, demo: Demo, host: FakeHost, pm: Any) -> None:
    first = save_as_version(host, demo.comp, session=session, pm=pm)
    menu = MenuController(host, session=session, plugin_manager=pm)
    assert menu.context_label() == "SH001 / comp"
    second = menu.version_up()
    assert second.version_number == 2 and second.parent is first
    assert menu.scene_version() is second


def test_version_up_of_a_scene_that_is_not_a_version(session: Any, host: FakeHost) -> None:
    with pytest.raises(WorkfileError, match="Save As Version first"):
        MenuController(host, session=session).version_up()


def test_a_panel_entry_opens_the_panel_with_the_menus_context(
    session: Any, host: FakeHost, pm: Any
) -> None:
    shown: list[tuple[str, dict[str, Any]]] = []
    menu = MenuController(host, session=session, plugin_manager=pm)
    [loader] = [e for e in menu.entries(lambda n, **kw: shown.append((n, kw)))
                if e.label == "Loader"]
    assert loader.run is not None
    loader.run()
    assert shown == [("loader", {"host": host, "session": session, "plugin_manager": pm})]


class Unreachable:
    """A session whose database is down."""

    session_factory = None

    def get(self, *args: Any) -> Any:
        raise OperationalError("SELECT", {}, Exception("connection refused"))

    def rollback(self) -> None:
        pass


def test_the_label_says_when_the_database_is_down(host: FakeHost) -> None:
    host.set_scene_metadata({"stalker_version_id": "7"})
    label = MenuController(host, session=Unreachable()).context_label()
    assert label.startswith("No Stalker context: DatabaseUnavailableError")
    assert "connection refused" in label


def test_a_connected_session_is_left_alone(session: Any) -> None:
    bind = session.get_bind()
    assert connect_default_session(session) is session and session.get_bind() is bind
