"""Importing ``stalker_core.models``: mappers configured, the garbage collector as it was.

Each case runs in a fresh interpreter: the import happens once per process.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PROBE = """
import gc, json
{before}
import stalker_core.models as m
print(json.dumps({{
    "enabled": gc.isenabled(),
    "frozen": gc.get_freeze_count(),
    "configured": all(mp.configured for mp in m.Base.registry.mappers),
    "young": gc.get_count()[0],
}}))
"""


def _probe(before: str) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(before=before)],
        capture_output=True, text=True, check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_import_configures_the_mappers_and_restores_the_collector() -> None:
    found = _probe("")
    assert found["configured"] is True
    assert found["enabled"] is True
    assert found["frozen"] == 0, "objects left frozen would never be collected"
    # the model's objects went to the oldest generation, not the youngest
    assert found["young"] < 5_000


@pytest.mark.parametrize("before, enabled", [("gc.disable()", False), ("", True)])
def test_a_disabled_collector_stays_disabled(before: str, enabled: bool) -> None:
    assert _probe(before)["enabled"] is enabled


def test_objects_frozen_by_the_process_stay_frozen() -> None:
    found = _probe("gc.freeze(); frozen = gc.get_freeze_count()")
    assert found["frozen"] > 0


#: what the object model must not import: commands, output, templates, scheduling,
#: plugins, settings files, migrations (each costs start-up time to every process)
NOT_FOR_THE_MODELS = (
    "alembic", "click", "jinja2", "mako", "platformdirs", "pluggy", "rich", "tomllib",
    "stalker_core.cli", "stalker_core.controllers", "stalker_core.plugins",
    "stalker_core.scheduling", "stalker_core.templates", "stalker_core.ui",
    "stalker_core.workflows",
)

IMPORTED = """
import json, sys
import stalker_core.models
print(json.dumps(sorted(sys.modules)))
"""


def imported_modules(code: str, *args: str) -> list[str]:
    """The modules a fresh interpreter holds after running ``code`` (it prints them last)."""
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def unwanted(modules: list[str], packages: tuple[str, ...]) -> list[str]:
    """The modules of ``modules`` that are ``packages`` or below them."""
    return [m for m in modules if any(m == p or m.startswith(p + ".") for p in packages)]


def test_importing_the_models_imports_no_command_template_or_scheduling_layer() -> None:
    modules = imported_modules(IMPORTED)
    assert "stalker_core.models" in modules
    assert unwanted(modules, NOT_FOR_THE_MODELS) == []
