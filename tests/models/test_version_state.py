"""VersionState: the unmapped state of a Version (phase, automatic number and name, ...)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from test_vers_helpers import build_world

from stalker_core.exceptions import ValidationError
from stalker_core.models import Version
from stalker_core.models import repository as repo_mod
from stalker_core.models.version.state import Phase, VersionState, state_of
from stalker_core.templates import TemplateEngine


@pytest.fixture
def world(session: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(repo_mod, "current_os", lambda: "linux")
    return build_world(session)


class CountingEngine(TemplateEngine):
    """A template engine that counts its renderings."""

    def __init__(self) -> None:
        super().__init__()
        self.renders = 0

    def render(self, source: str, context: Mapping[str, Any], name: str = "<template>") -> str:
        self.renders += 1
        return super().render(source, context, name)


def test_enter_restores_the_previous_phase_even_on_error() -> None:
    state = VersionState(phase=Phase.BUILDING)
    with pytest.raises(RuntimeError), state.enter(Phase.DISCARDING):
        assert state.phase is Phase.DISCARDING
        raise RuntimeError("boom")
    assert state.phase is Phase.BUILDING
    with state.enter(Phase.RENUMBERING) as same:
        assert same is state and state.phase is Phase.RENUMBERING
    assert state.phase is Phase.BUILDING


def test_a_version_not_built_by_its_constructor_has_the_loaded_default() -> None:
    bare = Version.__mapper__.class_manager.new_instance()
    state = state_of(bare)
    assert state == VersionState()
    assert state.phase is Phase.READY and not state.auto_number and not state.auto_name
    assert state_of(bare) is state  # made once, then kept


def test_a_new_version_records_what_the_library_chose(session: Any, world: Any) -> None:
    auto = Version(task=world.comp)
    state = state_of(auto)
    assert state.phase is Phase.READY
    assert (state.auto_number, state.auto_name, state.take_changed) == (True, True, False)
    assert state.linked_quietly  # the stored task's versions were not loaded
    assert state.extension == ""
    given = Version(task=world.comp, version_number=7, name="mine", extension="blend")
    assert (state_of(given).auto_number, state_of(given).auto_name) == (False, False)
    assert state_of(given).extension == given.extension == ".blend"


def test_a_number_set_by_hand_is_no_longer_automatic(session: Any, world: Any) -> None:
    v = Version(task=world.comp)
    v.version_number = 5
    assert not state_of(v).auto_number
    Version(task=world.comp, version_number=4)
    session.flush()
    assert v.version_number == 5  # the flush renumbers automatic numbers only


def test_a_new_take_is_provisional_until_the_flush(session: Any, world: Any) -> None:
    v = Version(task=world.comp)
    v.take_name = "Alt"
    state = state_of(v)
    assert state.take_changed and state.auto_number and state.phase is Phase.READY
    session.flush()
    assert not state.take_changed
    assert (v.take_name, v.version_number) == ("Alt", 1)


def test_renumbering_at_flush_renders_again_with_the_last_engine(
    session: Any, world: Any
) -> None:
    engine = CountingEngine()
    mine = Version(task=world.comp)
    mine.update_paths(engine=engine)
    assert state_of(mine).engine is engine
    rendered = engine.renders
    Version(task=world.comp, version_number=1)  # takes our provisional number
    session.flush()
    assert mine.version_number == 2
    assert mine.filename == "SH001_comp_Main_v002"
    assert engine.renders > rendered
    assert state_of(mine).phase is Phase.READY and state_of(mine).auto_number


def test_discard_unlinks_and_returns_to_the_previous_phase(session: Any, world: Any) -> None:
    v = Version(task=world.comp)
    v.discard()
    assert state_of(v).phase is Phase.READY
    assert v.task is None and v not in session
    session.flush()
    assert session.query(Version).count() == 0


def test_a_stored_version_keeps_its_task_also_when_loaded(session: Any, world: Any) -> None:
    v = Version(task=world.comp)
    session.commit()
    version_id = v.id
    session.expunge_all()
    loaded = session.get(Version, version_id)
    assert loaded is not v
    assert state_of(loaded) == VersionState()
    with pytest.raises(ValidationError, match="cannot change once the version is stored"):
        loaded.task = session.get(type(world.shot), world.shot.id)
