"""Check ids: how a generic publish validator gives way to a more specific one.

A publish validator may declare the *check* it performs with :func:`check`::

    @hookimpl(specname="stalker_publish_validate")
    @check("frame_range")
    def validate_frame_range(host, item): ...

A plugin that performs that check itself, better, for some hosts (a host
plugin checking the frame range with the DCC's own notions, preview range
and frame step included) answers ``stalker_publish_overridden_checks`` with
the check ids it takes over::

    @hookimpl
    def stalker_publish_overridden_checks(host):
        return ["frame_range", "unsaved_changes"] if is_my_host(host) else None

For that validation run the core then skips every validator of *another*
plugin that declared one of these ids (a plugin never overrides its own
validators), records what it skipped in ``PublishReport.overridden`` and
fills ``ValidationResult.check`` of the results of declared checks. With any
other host the hook answers ``None`` and the generic checks run as usual.

Check ids are lower-case words joined by dots (``frame_range``,
``studio.naming``). The built-in publish plugin declares ``scene_saved``,
``unsaved_changes``, ``version_match``, ``file_location``, ``frame_range``,
``fps`` and ``references``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from stalker_core.exceptions import PluginError, ValidationError

#: function attribute holding the declared check id
CHECK_ATTRIBUTE = "stalker_check"

_CHECK_ID = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*\Z")

F = TypeVar("F", bound=Callable[..., Any])


def check_check_id(check_id: object) -> str:
    """Return ``check_id`` when it is a valid check id.

    :raises ValidationError: when it is not lower-case words joined by dots.
    """
    if not isinstance(check_id, str) or not _CHECK_ID.match(check_id):
        raise ValidationError(
            "a check id should be lower-case words joined by dots "
            f"(e.g. 'frame_range' or 'studio.naming'), not {check_id!r}"
        )
    return check_id


def check(check_id: str) -> Callable[[F], F]:
    """Declare the check a ``stalker_publish_validate`` implementation performs.

    Works above or below ``@hookimpl``; the function is returned unchanged
    apart from the :data:`CHECK_ATTRIBUTE` attribute.

    :param check_id: the check's id (see the module docstring).
    :raises ValidationError: for a malformed id.
    """
    check_check_id(check_id)

    def mark(function: F) -> F:
        setattr(function, CHECK_ATTRIBUTE, check_id)
        return function

    return mark


def check_of(function: object) -> str | None:
    """The check id declared on ``function`` with :func:`check`, or ``None``."""
    value = getattr(function, CHECK_ATTRIBUTE, None)
    return value if isinstance(value, str) else None


def overridden_ids(plugin: str, answer: object) -> list[str]:
    """Validate a plugin's answer to ``stalker_publish_overridden_checks``.

    :param plugin: the plugin's name (for the error message).
    :param answer: what it returned (an iterable of check ids; not a string).
    :raises PluginError: naming the plugin, when the answer is not check ids.
    """
    if isinstance(answer, str) or not isinstance(answer, Iterable):
        raise PluginError(
            f"plugin {plugin!r} answered stalker_publish_overridden_checks with {answer!r}; "
            "expected a list of check ids"
        )
    ids = []
    for value in answer:
        try:
            ids.append(check_check_id(value))
        except ValidationError as exc:
            raise PluginError(
                f"plugin {plugin!r} answered stalker_publish_overridden_checks: {exc}"
            ) from exc
    return ids
