"""matplotlib is the `charts` extra: PNG/SVG charts name it; HTML and the demo need none."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sched_helpers import problem, task

from stalker_core.exceptions import MissingExtraError, StalkerError
from stalker_core.scheduling import NativeScheduler
from stalker_core.scheduling.gantt import draw_gantt, gantt_figure, gantt_layout

EXTRA = "pip install 'stalker_core[charts]'"


@pytest.fixture
def no_matplotlib(monkeypatch: pytest.MonkeyPatch) -> None:
    """Import of matplotlib fails, as when the extra is not installed."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)


def _planned() -> tuple[object, object]:
    pr = problem(task(1, "anim", timing=8), task(2, "comp", timing=4, deps=(1,)))
    return pr, NativeScheduler().schedule(pr)


@pytest.mark.usefixtures("no_matplotlib")
@pytest.mark.parametrize("name", ["plan.png", "plan.SVG"])
def test_an_image_without_matplotlib_names_the_extra(tmp_path: Path, name: str) -> None:
    pr, plan = _planned()
    with pytest.raises(MissingExtraError) as info:
        draw_gantt(pr, plan, tmp_path / name)  # type: ignore[arg-type]
    message = str(info.value)
    assert EXTRA in message and "matplotlib" in message and ".html" in message
    assert isinstance(info.value, StalkerError) and isinstance(info.value, ImportError)
    assert info.value.extra == "charts" and info.value.name == "matplotlib"
    assert not (tmp_path / name).exists()


@pytest.mark.usefixtures("no_matplotlib")
def test_the_figure_itself_names_the_extra() -> None:
    pr, plan = _planned()
    layout = gantt_layout(pr, plan, "tree", 100)  # type: ignore[arg-type]
    with pytest.raises(MissingExtraError, match=r"stalker_core\[charts\]"):
        gantt_figure(layout)


@pytest.mark.usefixtures("no_matplotlib")
def test_html_needs_no_extra(tmp_path: Path) -> None:
    pr, plan = _planned()
    out = draw_gantt(pr, plan, tmp_path / "plan.html")  # type: ignore[arg-type]
    assert "<svg" in out.read_text("utf-8")


@pytest.mark.usefixtures("no_matplotlib")
def test_schedule_command_says_so_before_scheduling(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from stalker_core.cli.main import main

    url = f"sqlite:///{tmp_path}/empty.db"  # no studio: scheduling would fail differently
    code = main(["schedule", "--db", url, "--gantt", str(tmp_path / "plan.png")])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("error: PNG and SVG Gantt charts: matplotlib is not installed")
    assert EXTRA in err and "Traceback" not in err
    assert not (tmp_path / "empty.db").exists()


BLOCK = (
    "import sys\n"
    "class Block:\n"
    "    def find_spec(self, name, path=None, target=None):\n"
    "        if name.split('.')[0] in ('matplotlib', 'numpy'):\n"
    "            raise ImportError(f'{name} is blocked: no charts extra')\n"
    "sys.meta_path.insert(0, Block())\n"
)


@pytest.mark.slow
def test_the_demo_runs_without_matplotlib_or_numpy(tmp_path: Path) -> None:
    """``make demo`` installs the core only (``pip install -e .``)."""
    code = BLOCK + (
        "from stalker_core.cli.main import main\n"
        "status = main(['--db', sys.argv[1], 'demo', '--root', sys.argv[2]])\n"
        "assert not any(m.split('.')[0] in ('matplotlib', 'numpy') for m in sys.modules)\n"
        "sys.exit(status)\n"
    )
    res = subprocess.run(
        [sys.executable, "-c", code, f"sqlite:///{tmp_path}/demo.db", str(tmp_path / "repo")],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert res.returncode == 0, res.stdout + res.stderr
    assert "blocked" not in res.stderr
