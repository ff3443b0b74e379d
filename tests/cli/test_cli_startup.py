"""What the listings import: they start without plugins, templates or scheduling.

Each command runs in a fresh interpreter, as a user starts it.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

#: runs the command line given as arguments, then prints the imported modules
RUN = """
import contextlib, io, json, sys
from stalker_core.cli.main import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    code = main(sys.argv[1:])
print(json.dumps({"code": code, "out": out.getvalue(), "modules": sorted(sys.modules)}))
"""

#: what a listing never needs (each costs start-up time)
NOT_FOR_LISTINGS = (
    "alembic", "jinja2", "pluggy", "stalker_core.plugins", "stalker_core.scheduling",
    "stalker_core.templates", "stalker_core.workflows", "stalker_core.ui",
)


@pytest.mark.parametrize("words", [("version", "list"), ("task", "list"), ("project", "list")])
def test_listings_import_no_plugins_templates_or_scheduling(
    studio_db: str, words: tuple[str, ...]
) -> None:
    proc = subprocess.run([sys.executable, "-c", RUN, "--db", studio_db, *words],
                          capture_output=True, text=True, check=True)
    found = json.loads(proc.stdout.strip().splitlines()[-1])
    assert found["code"] == 0, proc.stderr
    assert found["out"].strip(), "the listing printed nothing"
    loaded = [m for m in found["modules"]
              if any(m == p or m.startswith(p + ".") for p in NOT_FOR_LISTINGS)]
    assert loaded == []


CONSOLE = """
import contextlib, gc, io, json, sys
from stalker_core.cli.main import console_main
with contextlib.redirect_stdout(io.StringIO()) as out:
    code = console_main()
print(json.dumps({"code": code, "out": out.getvalue(), "frozen": gc.get_freeze_count()}))
"""


def test_the_console_script_freezes_its_objects_before_exiting(studio_db: str) -> None:
    proc = subprocess.run([sys.executable, "-c", CONSOLE, "--db", studio_db, "version", "list"],
                          capture_output=True, text=True, check=True)
    found = json.loads(proc.stdout.strip().splitlines()[-1])
    assert found["code"] == 0, proc.stderr
    assert "versions (" in found["out"]
    assert found["frozen"] > 0  # the exit's last collection has nothing to go over


def test_main_leaves_the_collector_alone(capsys: pytest.CaptureFixture[str]) -> None:
    import gc

    from stalker_core.cli.main import main

    before = gc.get_freeze_count()
    assert main(["--help"]) == 0
    assert gc.get_freeze_count() == before
    assert "Usage" in capsys.readouterr().out
