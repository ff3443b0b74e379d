"""Run INSIDE the Blender application (``blender --enable-event-simulate --python THIS``).

Waits (up to 10 s) for the scene to have a file (a launched Blender saves
its new scene as the task's first version at start-up), opens the 3D view's
sidebar, clicks its "Stalker" tab (Blender 3.4 has no API
to choose a sidebar tab, so the script simulates clicks down the tab strip
until the add-on's panel draws), records what the panel drew (the scene
context of :mod:`stalker_blender.runtime`, at draw time), takes a screenshot
of the window with ``bpy.ops.screen.screenshot`` and quits.

Environment: ``SHOT_OUT`` (the PNG to write) and ``TEST_REPORT`` (the JSON
report: what the panel drew, how many times, and whether the tab was found).
"""

import json
import os

import bpy
from stalker_blender import panel
from stalker_blender.runtime import runtime

_original_draw = panel.STALKER_PT_context.draw
drawn: dict = {"draws": 0}
state = {"step": 0}


def _recording_draw(self, context):
    _original_draw(self, context)
    info = runtime.scene_context()
    drawn.update(project=info.project, task=info.task, version=info.version,
                 draws=drawn["draws"] + 1)


panel.STALKER_PT_context.draw = _recording_draw


def _finish(found):
    with open(os.environ["TEST_REPORT"], "w") as fh:
        json.dump({**drawn, "tab_found": found, "file": bpy.data.filepath}, fh)
    bpy.ops.wm.quit_blender()


def _tick():
    window = bpy.context.window_manager.windows[0]
    area = max((a for a in window.screen.areas if a.type == "VIEW_3D"),
               key=lambda a: a.width * a.height)
    area.spaces.active.show_region_ui = True
    region = next(r for r in area.regions if r.type == "UI")
    if drawn["draws"]:
        with bpy.context.temp_override(window=window, area=area):
            bpy.ops.screen.screenshot(filepath=os.environ["SHOT_OUT"])
        _finish(True)
        return None
    if not bpy.data.filepath and state.get("waited", 0) < 40:
        state["waited"] = state.get("waited", 0) + 1  # the launcher's new scene is being saved
        return 0.25
    step = state["step"]
    state["step"] += 1
    if step == 0:
        area.tag_redraw()
        return 0.5
    x = region.x + region.width - 9
    y = region.y + region.height - 20 - (step - 1) * 12
    if y < region.y:
        _finish(False)
        return None
    for kind, value in (("MOUSEMOVE", "NOTHING"), ("LEFTMOUSE", "PRESS"),
                        ("LEFTMOUSE", "RELEASE")):
        window.event_simulate(type=kind, value=value, x=x, y=y)
    area.tag_redraw()
    return 0.3


bpy.app.timers.register(_tick, first_interval=1.0)
