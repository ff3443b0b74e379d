"""Model services: late-bound implementations of model methods from the layers above."""

from __future__ import annotations

from importlib.metadata import EntryPoint

import pytest

from stalker_core.exceptions import ConfigError
from stalker_core.models import services


@pytest.mark.parametrize("name", sorted(services.SERVICES))
def test_every_service_is_bound(name: str) -> None:
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


def test_without_installed_metadata_the_defaults_bind(monkeypatch: pytest.MonkeyPatch) -> None:
    """A source checkout on PYTHONPATH (no entry points) still gets every service."""
    import stalker_core.scheduling
    import stalker_core.templates.paths

    monkeypatch.setattr(services, "_entry_points", {})
    monkeypatch.setattr(services, "entry_points", _fake_entry_points([]))
    assert services.service("to_tjp") is stalker_core.scheduling.to_tjp
    assert services.service("render_version_paths") is (
        stalker_core.templates.paths.render_version_paths
    )


def test_a_distribution_replaces_a_default(monkeypatch: pytest.MonkeyPatch) -> None:
    eps = [EntryPoint("to_tjp", "stalker_core.models.services:_check_name", services.GROUP)]
    monkeypatch.setattr(services, "_entry_points", {})
    monkeypatch.setattr(services, "entry_points", _fake_entry_points(eps))
    assert services.service("to_tjp") is services._check_name


def test_every_default_names_the_layer_above(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, declared in services.SERVICES.items():
        module, _, attribute = declared.default.partition(":")
        assert module.startswith(("stalker_core.templates", "stalker_core.scheduling")), name
        assert attribute, name


def test_an_override_holds_in_its_own_thread_only() -> None:
    import threading

    seen: list[object] = []
    inside = threading.Event()
    done = threading.Event()

    def other_thread() -> None:
        inside.wait(5)
        seen.append(services.service("to_tjp"))
        done.set()

    default = services.service("to_tjp")
    worker = threading.Thread(target=other_thread)
    worker.start()
    with services.override("to_tjp", print):
        inside.set()
        done.wait(5)
        assert services.service("to_tjp") is print
    worker.join(5)
    assert seen == [default]


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
