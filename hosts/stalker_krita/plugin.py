"""Entry point ``krita``: the Krita host, its publish plugins and its launcher hooks, for pluggy.

:func:`stalker_host_get` answers only inside Krita: the ``krita`` module
must already be imported (inside Krita it always is, before any plugin
runs) and ``Krita.instance()`` must exist. The plugin never imports
``krita`` itself, so loading it in the CLI or on a farm worker costs nothing.
"""

from __future__ import annotations

import sys
from typing import Any

from stalker_core.plugins.api import hookimpl

from .launch import stalker_launch_before_start, stalker_launch_discover, stalker_launch_prepare
from .publish.collect import collect_krita_document
from .publish.extract import extract_image
from .publish.validate import validate_color_profile, validate_layers, validate_size

__all__ = [
    "collect_krita_document",
    "extract_image",
    "running_in_krita",
    "stalker_host_get",
    "stalker_launch_before_start",
    "stalker_launch_discover",
    "stalker_launch_prepare",
    "validate_color_profile",
    "validate_layers",
    "validate_size",
]


def running_in_krita() -> bool:
    """Whether this process is Krita (see the module docstring for the rule)."""
    krita = sys.modules.get("krita")
    if krita is None:
        return False
    try:
        return krita.Krita.instance() is not None
    except (AttributeError, RuntimeError):
        return False


@hookimpl
def stalker_host_get(context: Any) -> Any:
    """Return the :class:`~stalker_krita.adapter.KritaHost` inside Krita, else ``None``."""
    if not running_in_krita():
        return None
    from .startup import host

    return host()
