"""Start-up script of a Blender started by ``stalker launch`` (BLENDER_USER_SCRIPTS points here).

Adds the folders of ``STALKER_PYTHONPATH`` (stalker_core and its
dependencies) to Blender's Python, registers the stalker_blender add-on,
and, when ``STALKER_LAUNCH_SAVE_NEW`` is set, saves the new scene as the
task's first version once Blender runs. It must never stop Blender from
starting: a failure is printed and Blender goes on without the pipeline.
"""

import os
import site
import sys
import traceback

_registered: list = []  # the add-on module, once registered


def _add_paths():
    for path in os.environ.get("STALKER_PYTHONPATH", "").split(os.pathsep):
        if path and path not in sys.path:
            site.addsitedir(path)


def register():
    try:
        _add_paths()
        import stalker_blender

        stalker_blender.register()
        _registered.append(stalker_blender)
        if os.environ.get("STALKER_LAUNCH_SAVE_NEW") == "1":
            import bpy
            from stalker_blender.launch import save_new_scene

            bpy.app.timers.register(save_new_scene, first_interval=0.5)
    except Exception:
        traceback.print_exc()
        print("stalker: the pipeline add-on could not be loaded; Blender runs without it")


def unregister():
    while _registered:
        _registered.pop().unregister()
