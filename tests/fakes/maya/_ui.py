"""FAKE ``maya.cmds`` user-interface commands: ``menu``, ``menuItem``, ``deleteUI``, ``warning``.

``menu -postMenuCommand`` is stored and run by :func:`_open_menu` (fake-only),
which stands for the artist clicking the menu.

Part of the fake :mod:`maya.cmds` (which re-exports them); not Maya. The UI is
kept across scenes, like Maya's, and does not exist in batch mode.
"""

from __future__ import annotations

from typing import Any

from . import cmds as _cmds

#: FAKE ONLY: the menus: full name -> {"label": ..., "items": [item dicts]}
_menus: dict[str, dict[str, Any]] = {}
#: FAKE ONLY: the messages given to ``warning``
_warnings: list[str] = []


def _menu_named(name: str) -> str | None:
    for full in _menus:
        if name in (full, full.rpartition("|")[2]):
            return full
    return None


def menu(*args: Any, **kwargs: Any) -> Any:
    """``menu``: create one under a window (``parent``), ``exists``, or ``deleteAllItems``."""
    opts = _cmds._opts("menu", args, kwargs)
    name = args[0] if args else "menu"
    if opts.get("exists"):
        return _menu_named(name) is not None
    if opts.get("edit"):
        full = _menu_named(name)
        if full is None or not opts.get("deleteAllItems"):
            raise RuntimeError(f"fake menu -edit: no menu {name!r} or mode not modelled")
        _menus[full]["items"].clear()
        return full
    if _cmds._batch:
        raise RuntimeError("menu: there is no user interface in batch mode")
    parent = opts.get("parent")
    if parent != "MayaWindow":
        raise RuntimeError(f"the fake models menus of 'MayaWindow' only, not {parent!r}")
    full = f"{parent}|{_cmds._unique(name, {m.rpartition('|')[2] for m in _menus})}"
    _menus[full] = {"label": opts.get("label", name), "items": [],
                    "postMenuCommand": opts.get("postMenuCommand")}
    return full


def _open_menu(name: str) -> list[dict[str, Any]]:
    """FAKE ONLY: the artist opens the menu: its ``postMenuCommand`` runs, then its items show.

    Maya calls the command before showing the menu; the fake passes it no arguments.
    """
    full = _menu_named(name)
    if full is None:
        raise RuntimeError(f"no menu {name!r}")
    command = _menus[full]["postMenuCommand"]
    if command is not None:
        command()
    return list(_menus[full]["items"])


def menuItem(**kwargs: Any) -> str:
    """``menuItem`` in a menu (``parent``): a label, ``enable``, a ``command`` or a divider."""
    opts = _cmds._opts("menuItem", (), kwargs)
    full = _menu_named(opts.get("parent", ""))
    if full is None:
        raise RuntimeError(f"menuItem: no menu {opts.get('parent')!r}")
    items = _menus[full]["items"]
    item = {"label": opts.get("label", ""), "enable": opts.get("enable", True),
            "command": opts.get("command"), "divider": bool(opts.get("divider")),
            "annotation": opts.get("annotation", "")}
    items.append(item)
    return f"{full}|menuItem{len(items)}"


def deleteUI(name: str, **kwargs: Any) -> None:
    """``deleteUI`` of a menu."""
    _cmds._opts("deleteUI", (name,), kwargs)
    full = _menu_named(name)
    if full is None:
        raise RuntimeError(f"Object '{name}' not found.")
    del _menus[full]


def warning(message: str) -> None:
    """``warning``: Maya prints it in the script editor and the command line."""
    _cmds._opts("warning", (message,), {})
    _warnings.append(message)
