"""The panels and UI actions that the plugins offer (``stalker_ui_panels``, ``stalker_ui_actions``).

Used by the host menus (Maya, Nuke), the Loader and Scene Inventory, and
``stalker ui``. Nothing here imports Qt.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from stalker_core.exceptions import PluginError
from stalker_core.plugins.api import ACTION_LOCATIONS, PanelSpec, UIAction
from stalker_core.plugins.calls import call_each
from stalker_core.workflows.common import plugin_manager_or_default

if TYPE_CHECKING:
    import pluggy

__all__ = ["panel_spec", "panel_specs", "ui_actions"]


def _entries(plugin: str, answer: Any, kind: type, hook: str) -> list[Any]:
    if not isinstance(answer, (list, tuple)) or not all(isinstance(a, kind) for a in answer):
        raise PluginError(
            f"plugin {plugin!r} returned {answer!r} from {hook}; expected a list of "
            f"{kind.__name__}"
        )
    return [replace(a, plugin=plugin) for a in answer]


def panel_specs(plugin_manager: pluggy.PluginManager | None = None) -> list[PanelSpec]:
    """Every panel the plugins offer, in menu order.

    :raises PluginError: two plugins offer the same panel name, or a plugin
        answers something other than a list of ``PanelSpec``.
    """
    pm = plugin_manager_or_default(plugin_manager)
    found: dict[str, PanelSpec] = {}
    for plugin, answer in call_each(pm, "stalker_ui_panels"):
        for spec in _entries(plugin, answer, PanelSpec, "stalker_ui_panels"):
            other = found.get(spec.name)
            if other is not None:
                raise PluginError(
                    f"the panel {spec.name!r} is offered by both {other.plugin!r} and "
                    f"{plugin!r}; block one of them (stalker plugins)"
                )
            found[spec.name] = spec
    return sorted(found.values(), key=lambda s: (s.order, s.name))


def panel_spec(name: str, plugin_manager: pluggy.PluginManager | None = None) -> PanelSpec:
    """The panel called ``name``.

    :raises PluginError: no plugin offers it (the message lists the panels there are).
    """
    specs = panel_specs(plugin_manager)
    for spec in specs:
        if spec.name == name:
            return spec
    known = ", ".join(s.name for s in specs) or "none"
    raise PluginError(f"no panel is called {name!r}; the panels are: {known}")


def ui_actions(
    host: Any, location: str, plugin_manager: pluggy.PluginManager | None = None
) -> list[UIAction]:
    """The actions the plugins offer at ``location`` for ``host``, in order.

    :raises ValueError: ``location`` is not one of ``ACTION_LOCATIONS``.
    :raises PluginError: a plugin answers something other than a list of
        ``UIAction``, or two actions share a name.
    """
    if location not in ACTION_LOCATIONS:
        raise ValueError(
            f"location should be one of {', '.join(ACTION_LOCATIONS)}, not {location!r}"
        )
    pm = plugin_manager_or_default(plugin_manager)
    found: dict[str, UIAction] = {}
    for plugin, answer in call_each(pm, "stalker_ui_actions", host=host, location=location):
        for action in _entries(plugin, answer, UIAction, "stalker_ui_actions"):
            if action.location != location:
                continue
            if action.name in found:
                raise PluginError(
                    f"the action {action.name!r} is offered by both "
                    f"{found[action.name].plugin!r} and {plugin!r}"
                )
            found[action.name] = action
    return sorted(found.values(), key=lambda a: (a.order, a.name))
