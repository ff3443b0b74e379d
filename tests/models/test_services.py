"""Model services: late-bound implementations of model methods from the layers above."""

from __future__ import annotations

from importlib.metadata import EntryPoint

import pytest

from stalker_core.exceptions import ConfigError
from stalker_core.models import services


@pytest.mark.parametrize("name", sorted(services.SERVICES))
def test_every_service_is_bound_by_the_installed_distribution(name: str) -> None:
    impl = services.service(name)
    assert callable(impl)
    module = impl.__module__
    assert module.startswith(("stalker_core.templates", "stalker_core.scheduling")), module


def test_unknown_service_names_the_known_ones() -> None:
    with pytest.raises(ConfigError, match="unknown model service 'nope'.*to_tjp"):
        services.service("nope")
    with pytest.raises(ConfigError, match="unknown model service"):
        with services.override("nope", print):
            pass


def test_override_nests_and_is_undone() -> None:
    def outer(obj: object) -> str:
        return "outer"

    def inner(obj: object) -> str:
        return "inner"

    default = services.service("to_tjp")
    with services.override("to_tjp", outer):
        assert services.service("to_tjp") is outer
        with services.override("to_tjp", inner):
            assert services.service("to_tjp") is inner
        assert services.service("to_tjp") is outer
    assert services.service("to_tjp") is default


def test_override_must_be_callable() -> None:
    with pytest.raises(ConfigError, match="must be callable"):
        with services.override("to_tjp", "not a function"):  # type: ignore[arg-type]
            pass


def test_model_method_uses_the_override() -> None:
    from stalker_core.models import Studio

    with services.override("to_tjp", lambda obj: f"tjp of {obj.name}"):
        assert Studio(name="S").to_tjp == "tjp of S"


def _fake_entry_points(found: list[EntryPoint]):  # type: ignore[no-untyped-def]
    def entry_points(*, group: str, name: str) -> list[EntryPoint]:
        assert group == services.GROUP
        return [ep for ep in found if ep.name == name]

    return entry_points


def test_missing_entry_point_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "_entry_points", {})
    monkeypatch.setattr(services, "entry_points", _fake_entry_points([]))
    with pytest.raises(ConfigError, match="no entry point 'to_tjp'.*pip install"):
        services.service("to_tjp")


def test_two_distributions_binding_one_service_is_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    eps = [
        EntryPoint("to_tjp", "stalker_core.scheduling:to_tjp", services.GROUP),
        EntryPoint("to_tjp", "studio_pipeline.tjp:to_tjp", services.GROUP),
    ]
    monkeypatch.setattr(services, "_entry_points", {})
    monkeypatch.setattr(services, "entry_points", _fake_entry_points(eps))
    with pytest.raises(ConfigError, match="several entry points.*studio_pipeline.tjp:to_tjp"):
        services.service("to_tjp")


def test_a_non_callable_binding_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    eps = [EntryPoint("to_tjp", "stalker_core.models.services:GROUP", services.GROUP)]
    monkeypatch.setattr(services, "_entry_points", {})
    monkeypatch.setattr(services, "entry_points", _fake_entry_points(eps))
    with pytest.raises(ConfigError, match="not callable"):
        services.service("to_tjp")
