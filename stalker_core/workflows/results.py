"""Result objects the workflows return: scene checks and severities.

They are plain data, so the CLI prints them, a DCC panel shows them and tests
compare them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

#: how bad a check or validation result is; only ``"error"`` stops a publish
Severity = Literal["info", "warning", "error"]
SEVERITIES: tuple[str, ...] = ("info", "warning", "error")


def check_severity(value: str) -> str:
    """Return ``value`` when it is a known severity, else raise ValueError."""
    if value not in SEVERITIES:
        raise ValueError(f"severity should be one of {', '.join(SEVERITIES)}, not {value!r}")
    return value


@dataclass
class SceneCheck:
    """A finding about an opened scene, e.g. "3 references are outdated".

    :param title: a short title.
    :param message: what was found, in a sentence.
    :param severity: ``"info"``, ``"warning"`` or ``"error"``.
    :param fix: an optional callable that fixes it (e.g. update references).
    :param fix_label: the label of the fix button.
    :param plugin: the plugin that reported it (filled in by the core).
    """

    title: str
    message: str
    severity: Severity = "warning"
    fix: Callable[[], Any] | None = None
    fix_label: str = "Fix"
    plugin: str = ""

    def __post_init__(self) -> None:
        check_severity(self.severity)
