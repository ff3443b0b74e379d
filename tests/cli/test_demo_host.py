"""``stalker demo`` takes its host from the ``stalker_host_get`` hook, never from a host package."""

from __future__ import annotations

import json
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from stalker_core.cli.main import main
from stalker_core.plugins import hookimpl
from stalker_core.testing import FakeHost

#: the module name of the test plugin (put in sys.modules, named in STALKER_PLUGINS)
PLUGIN = "demo_fake_host_plugin"


@pytest.fixture(autouse=True)
def _wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")


@pytest.fixture
def no_standalone(monkeypatch: pytest.MonkeyPatch) -> None:
    """The standalone host neither registered nor importable: any import of it fails."""
    monkeypatch.setenv("STALKER_DISABLE_PLUGINS", "standalone")
    for name in [m for m in sys.modules if m == "stalker_standalone"
                 or m.startswith("stalker_standalone.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "stalker_standalone", None)  # import -> ImportError


@pytest.fixture
def fake_host(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHost]:
    """A recording FakeHost offered by a plugin loaded through ``STALKER_PLUGINS``."""
    host = FakeHost(name="fakedcc")
    plugin = types.ModuleType(PLUGIN)

    @hookimpl
    def stalker_host_get(context: Any) -> FakeHost:
        return host

    plugin.stalker_host_get = stalker_host_get  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, PLUGIN, plugin)
    monkeypatch.setenv("STALKER_PLUGINS", PLUGIN)
    yield host


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_uses_the_host_the_hook_returns(
    cli_db: str, tmp_path: Path, no_standalone: None, fake_host: FakeHost,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = tmp_path / "demo_repo"
    code, out, err = run(capsys, "--db", cli_db, "demo", "--root", str(root))
    assert code == 0, err

    saved = [Path(c.args[0]) for c in fake_host.called("save_file")]
    assert [p.name for p in saved] == [
        "Hero_model_Main_v001.fake", "SH10_layout_Main_v001.fake", "SH10_anim_Main_v001.fake",
    ]
    for path in saved:
        # written by the FakeHost (its JSON scene), not copied by the standalone host
        assert json.loads(path.read_text())["host"] == "fakedcc"
    opened = [Path(c.args[0]) for c in fake_host.called("open_file")]
    assert [p.name for p in opened[:3]] == ["Hero_model.txt", "SH10_layout.txt", "SH10_anim.txt"]
    assert opened[3] == saved[0]  # the model version, opened again to publish it
    assert (root / "DEMO/Hero/model/publish/Hero_model_Main_v001.fake").is_file()

    from stalker_core.models import Version
    from stalker_core.orm.session import DBSession

    assert {v.created_with for v in DBSession.query(Version)} == {"fakedcc"}


def test_demo_without_a_host_fails_before_touching_the_database(
    cli_db: str, tmp_path: Path, no_standalone: None, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], own_lines: Any,
) -> None:
    monkeypatch.delenv("STALKER_PLUGINS", raising=False)
    root = tmp_path / "demo_repo"
    code, out, err = run(capsys, "--db", cli_db, "demo", "--root", str(root))
    assert code == 1
    err = own_lines(err)
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("error: no host plugin answered stalker_host_get"), err
    assert not root.exists()
    assert "project" not in out
