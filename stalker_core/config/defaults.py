"""The larger built-in defaults of the settings: statuses, status lists, applications.

Declared here as data and used once, by the setting declarations of
:class:`stalker_core.config.Config`.
"""

from __future__ import annotations

from typing import Any

#: code -> name of every default status
STATUS_NAMES = {
    "NEW": "New", "RTS": "Ready To Start", "WFD": "Waiting For Dependency",
    "WIP": "Work In Progress", "PREV": "Pending Review", "HREV": "Has Revision",
    "DREV": "Dependency Has Revision", "OH": "On Hold", "STOP": "Stopped",
    "CMPL": "Completed", "ACP": "Accepted", "ASG": "Assigned", "ROP": "Reopened",
    "CLS": "Closed", "RREV": "Requested Revision", "APP": "Approved", "OPEN": "Open",
}
#: the task status workflow, in order
TASK_FLOW = ["WFD", "RTS", "WIP", "PREV", "HREV", "DREV", "OH", "STOP", "CMPL"]
#: class -> its ordered status codes
STATUS_LISTS = {
    **{cls: list(TASK_FLOW) for cls in ("Task", "Asset", "Shot", "Sequence", "Scene")},
    "Project": ["RTS", "WIP", "CMPL"], "Ticket": ["NEW", "ACP", "ASG", "ROP", "CLS"],
    "Review": ["NEW", "RREV", "APP"], "Daily": ["OPEN", "CLS"],
}


#: the applications the launcher knows out of the box
APPLICATIONS: dict[str, dict[str, Any]] = {
    "blender": {
        "label": "Blender", "icon": "blender", "variants": ["4.2", "3.4"],
        "executables": {
            "linux": "/opt/blender-{version}/blender",
            "darwin": "/Applications/Blender {version}.app/Contents/MacOS/Blender",
            "windows": "C:/Program Files/Blender Foundation/Blender {version}/blender.exe",
        },
        "args": [], "file_args": ["{file}"], "env": {}, "extensions": [".blend"],
    },
    "maya": {
        "label": "Maya", "icon": "maya", "variants": ["2025", "2024"],
        "executables": {
            "linux": "/usr/autodesk/maya{version}/bin/maya",
            "darwin": "/Applications/Autodesk/maya{version}/Maya.app/Contents/bin/maya",
            "windows": "C:/Program Files/Autodesk/Maya{version}/bin/maya.exe",
        },
        "args": [], "file_args": ["-file", "{file}"], "env": {}, "extensions": [".ma", ".mb"],
    },
    "nuke": {
        "label": "Nuke", "icon": "nuke", "variants": ["15.1v1", "14.1v1"],
        "executables": {
            "linux": "/usr/local/Nuke{version}/Nuke{short}",
            "darwin": "/Applications/Nuke{version}/Nuke{version}.app/Contents/MacOS/Nuke{short}",
            "windows": "C:/Program Files/Nuke{version}/Nuke{short}.exe",
        },
        "args": [], "file_args": ["{file}"], "env": {}, "extensions": [".nk"],
    },
    "krita": {
        "label": "Krita", "icon": "krita", "variants": ["5.2", "5.1"],
        "executables": {
            "linux": "/opt/krita-{version}/krita",
            "darwin": "/Applications/krita.app/Contents/MacOS/krita",
            "windows": "C:/Program Files/Krita (x64)/bin/krita.exe",
        },
        "args": ["--nosplash"], "file_args": ["{file}"], "env": {}, "extensions": [".kra"],
    },
}
