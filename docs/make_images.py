"""Render every picture of the docs from a fresh demo studio (``python docs/make_images.py``).

* ``docs/images/ui_<panel>.png``: the four artist panels and the launcher,
  offscreen at 1280x800 (``stalker ui NAME --screenshot``, ``stalker launcher
  --screenshot``), each in the state its view module's ``demo_state`` gives;
* ``docs/images/blender_panel.png``: the real Blender application in a window
  on a virtual screen, started by ``stalker launch`` (needs ``blender`` and
  ``xvfb-run``; skipped, with a line saying so, without them);
* ``docs/images/krita_<panel>.png``: the panels inside the real Krita on its
  PyQt5, opened from its Stalker menu (needs ``krita`` and ``xvfb-run``);
* ``docs/images/demo_gantt*.png``: the demo studio's schedule, and
  ``demo_gantt_html.png`` its interactive HTML page as a browser shows it
  (headless ``chromium``; skipped, with a line saying so, without it).

Everything runs on a throwaway SQLite database and repository, with the
demo built twice (two versions per demo task). Look at every picture after.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
PANELS = ("workfiles", "publish", "loader", "inventory")


def stalker(url: str, *args: str, env: dict[str, str] | None = None,
            wrap: tuple[str, ...] = ()) -> None:
    """Run the ``stalker`` command on the demo database; stop on failure."""
    command = [*wrap, sys.executable, "-m", "stalker_core.cli.main", "--db", url, *args]
    print("$", " ".join(command[len(wrap):][2:]), flush=True)
    subprocess.run(command, check=True, env=env)


def schedule(url: str, env: dict[str, str], *args: str) -> None:
    """``stalker schedule ARGS`` as the demo's administrator: it writes the studio's plan."""
    stalker(url, "--as", "admin", "schedule", *args, env={**env, "STALKER_PASSWORD": "admin"})


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        url = f"sqlite:///{tmp / 'demo.db'}"
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_STATE_HOME": str(tmp),
               "USER": "demo_anna", "LOGNAME": "demo_anna"}
        for _ in range(2):
            stalker(url, "demo", "--root", str(tmp / "studio"), env=env)
        for panel in PANELS:
            stalker(url, "ui", panel, "--demo", "--screenshot", str(IMAGES / f"ui_{panel}.png"),
                    env=env)
        subprocess.run([sys.executable, "-c", SAVE_DIALOG, url, str(_demo_task(url)),
                        str(IMAGES / "ui_workfiles_save.png")], check=True, env=env)
        stalker(url, "launcher", "--user", "demo_anna", "--demo", "--screenshot",
                str(IMAGES / "ui_launcher.png"), env=env)
        schedule(url, env, "--gantt", str(IMAGES / "demo_gantt.png"))
        schedule(url, env, "--gantt", str(IMAGES / "demo_gantt_resources.png"),
                 "--view", "resource")
        html_gantt_picture(url, tmp, env)
        real = {k: v for k, v in env.items() if k != "QT_QPA_PLATFORM"}
        screen = ("xvfb-run", "-a", "-s", "-screen 0 1280x800x24")
        if shutil.which("xvfb-run") is None:
            print("xvfb-run is not installed: no pictures of Blender or Krita")
            return
        task = _demo_task(url)
        if shutil.which("blender"):
            stalker(url, "launch", "blender", "--task", str(task), "--wait", "--",
                    "--enable-event-simulate", "--python",
                    str(ROOT / "tests/hosts/blender/blender_gui_script.py"),
                    env={**real, "SHOT_OUT": str(IMAGES / "blender_panel.png"),
                         "TEST_REPORT": str(tmp / "blender.json")}, wrap=screen)
        else:
            print("blender is not installed: no picture of the Blender panel")
        if shutil.which("krita"):
            stalker(url, "launch", "krita", "--task", str(task), "--new", "--wait",
                    env={**real, "STALKER_KRITA_SCRIPT": str(ROOT / "tests/hosts/krita/"
                                                                  "krita_runner.py"),
                         "KRITA_INSIDE_ONLY": "inside_panels.py",
                         "KRITA_TEST_FACTS": str(tmp / "facts.json"),
                         "KRITA_SCREENSHOTS": str(IMAGES),
                         "XDG_CONFIG_HOME": str(tmp / "config")}, wrap=screen)
        else:
            print("krita is not installed: no pictures of the panels in Krita")


def html_gantt_picture(url: str, tmp: Path, env: dict[str, str]) -> None:
    """The HTML Gantt page as headless Chromium draws it, at 1280 wide."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print("chromium is not installed: no picture of the HTML Gantt page")
        return
    page = tmp / "gantt.html"
    schedule(url, env, "--gantt", str(page))
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    "--window-size=1280,420", f"--screenshot={IMAGES / 'demo_gantt_html.png'}",
                    page.as_uri()], check=True, env=env, capture_output=True)


#: the Save As Version dialog of the Work Files panel, for the demo's SH10/anim
SAVE_DIALOG = """
import sys
from pathlib import Path
from stalker_core import db
from stalker_core.plugins import get_plugin_manager
from stalker_core.ui.windows import application, create_panel, grab_to
from stalker_core.workflows import get_host
db.setup({"sqlalchemy.url": sys.argv[1]})
app = application()
pm = get_plugin_manager()
panel = create_panel("workfiles", host=get_host(pm), plugin_manager=pm)
dialog = panel.make_save_dialog(int(sys.argv[2]), "Main")
dialog.description.setPlainText("polish pass on the run cycle, feet locked")
dialog.show()
grab_to(dialog, Path(sys.argv[3]), dialog.sizeHint().toTuple(), delete=True)
"""


def _demo_task(url: str) -> int:
    """The id of the demo's SH10/anim task."""
    out = subprocess.run(
        [sys.executable, "-m", "stalker_core.cli.main", "--db", url, "task", "list",
         "--project", "DEMO", "--json"], check=True, capture_output=True, text=True).stdout
    import json

    rows = json.loads(out)
    return next(r["id"] for r in rows if str(r["task"]).endswith("SH10/anim"))


if __name__ == "__main__":
    main()
