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
