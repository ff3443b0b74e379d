"""Entry point ``standalone``: offers the standalone host, after every real application."""

from __future__ import annotations

from typing import Any

from stalker_core.plugins import hookimpl
from stalker_standalone.host import StandaloneHost


@hookimpl(trylast=True)
def stalker_host_get(context: Any) -> StandaloneHost:
    """Always answers, but last: any application's host plugin wins."""
    return StandaloneHost()
