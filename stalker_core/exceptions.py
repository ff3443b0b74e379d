"""The one exception hierarchy of stalker_core.

Every error raised on purpose by stalker_core derives from :class:`StalkerError`,
so a pipeline tool can catch ``StalkerError`` around any call. Validation errors
are also ``TypeError``/``ValueError`` so code written for plain Python keeps
working::

    StalkerError
    ├── ConfigError                      bad or unreadable configuration (names file and key)
    ├── MissingExtraError (ImportError)  an optional extra is not installed (names the extra)
    ├── DatabaseError                    database not set up, migration problems
    │   ├── ConcurrencyError             a lock or unique number could not be obtained
    │   ├── DatabaseUnavailableError     the server cannot be reached, the connection was lost
    │   └── SchemaMismatchError          the database lacks a table or column of the models
    ├── ValidationError (ValueError)     a bad value for an attribute
    │   ├── StalkerTypeError (TypeError) a value of the wrong type
    │   ├── NaiveDatetimeError           a datetime without tzinfo
    │   └── PasswordError                a password that is refused
    ├── CircularDependencyError          a cycle in task dependencies or parenting
    ├── StatusError                      an action not allowed in the current status
    ├── LoginError                       a login name or password that is refused
    ├── OverBookedError                  a resource booked twice in the same time
    ├── DependencyViolationError         work logged before a dependency allows it
    ├── PermissionDeniedError            ``user.can(...)`` said no
    ├── TemplateError
    │   ├── TemplateNotFoundError        no FilenameTemplate for an entity type
    │   ├── TemplateRenderError          a syntax error, a missing variable, a bad character
    │   │   └── TemplateLimitError       a render ran too long or built too much (names the limit)
    │   └── PathEscapeError              a rendered path leaves its repository
    ├── RepositoryError                  a path that no repository contains
    ├── SchedulingError                  the scheduler could not produce a plan
    │   └── TaskJugglerError             tj3 missing, timed out or reported an error
    ├── PluginError                      a plugin failed to load or raised in a hook
    ├── LaunchError                      an application could not be started for a task
    ├── HostError
    │   ├── HostNotAvailableError        no host answered
    │   ├── HostCapabilityError          a host lacks a capability an operation needs
    │   ├── WorkfileError                a host could not save/open a file
    │   └── UnsavedChangesError          opening would discard unsaved changes
    ├── VetoError                        a before-hook refused the operation
    └── PublishError
        ├── PublishValidationError       validation failed; carries the results
        └── IntegrationError             files could not be placed; all rolled back

Messages say what was wrong, where, and what is expected.
"""

from __future__ import annotations

from typing import Any


class StalkerError(Exception):
    """Root of every error stalker_core raises on purpose."""


class StalkerWarning(UserWarning):
    """Warnings issued by stalker_core."""


class ConfigError(StalkerError):
    """A configuration file or value is invalid.

    :param message: what is wrong.
    :param path: the file concerned, when there is one.
    :param key: the dotted key concerned, when there is one.
    """

    def __init__(self, message: str, *, path: object = None, key: str | None = None) -> None:
        where = []
        if path is not None:
            where.append(f"file {str(path)!r}")
        if key is not None:
            where.append(f"key {key!r}")
        full = f"{message} ({', '.join(where)})" if where else message
        super().__init__(full)
        self.path = path
        self.key = key


class MissingExtraError(StalkerError, ImportError):
    """A feature needs an optional dependency (an extra) that is not installed.

    Also an ``ImportError``, so ``except ImportError`` fallbacks keep working.

    :param feature: what was asked for, e.g. ``"PNG and SVG Gantt charts"``.
    :param extra: the extra of stalker_core that installs it, e.g. ``"charts"``.
    :param module: the missing module, e.g. ``"matplotlib"``.
    :param hint: what works without the extra, when something does.
    """

    def __init__(self, feature: str, extra: str, module: str, hint: str | None = None) -> None:
        message = (f"{feature}: {module} is not installed; install the {extra!r} extra "
                   f"with pip install 'stalker_core[{extra}]'")
        super().__init__(f"{message} ({hint})" if hint else message, name=module)
        self.feature = feature
        self.extra = extra
        self.module = module


class DatabaseError(StalkerError):
    """The database is not set up, or a migration failed."""


class ConcurrencyError(DatabaseError):
    """A lock or a unique number could not be obtained in time."""


class DatabaseUnavailableError(DatabaseError):
    """The database server cannot be reached, or the connection was lost."""


class SchemaMismatchError(DatabaseError):
    """The database lacks a table or column of the models (made by another build)."""


class ValidationError(StalkerError, ValueError):
    """A value is not acceptable for an attribute."""


class StalkerTypeError(ValidationError, TypeError):
    """A value has the wrong type for an attribute."""


class NaiveDatetimeError(ValidationError):
    """A datetime without time zone was given where an aware one is needed."""


class PasswordError(ValidationError):
    """A password was refused (empty, wrong type)."""


def _type_name(value: object) -> str:
    return type(value).__name__


def type_error(cls_name: str, attr: str, expected: str, value: Any) -> StalkerTypeError:
    """Build a :class:`StalkerTypeError` with the project's message format.

    :param cls_name: the class whose attribute was set, e.g. ``"Task"``.
    :param attr: the attribute name, e.g. ``"schedule_unit"``.
    :param expected: what was expected, in words.
    :param value: the value that was given.
    """
    return StalkerTypeError(
        f"{cls_name}.{attr} should be {expected}, not {_type_name(value)}: {value!r}"
    )


def value_error(cls_name: str, attr: str, expected: str, value: Any) -> ValidationError:
    """Build a :class:`ValidationError` with the project's message format."""
    return ValidationError(f"{cls_name}.{attr} should be {expected}, not {value!r}")


class _MessageValue:
    """Gives an exception Stalker's ``value`` attribute: its message."""

    @property
    def value(self) -> str:
        """The message (``str(error)``), as Stalker's exceptions carry it."""
        return str(self)


class CircularDependencyError(_MessageValue, StalkerError):
    """A task would (indirectly) depend on, or be parented under, itself."""


class StatusError(_MessageValue, StalkerError):
    """An action is not allowed in the current status of an object."""


class LoginError(_MessageValue, StalkerError):
    """A login name or password was refused (Stalker's name for it)."""


class OverBookedError(_MessageValue, StalkerError):
    """A resource would be booked for two things at the same time."""


class DependencyViolationError(_MessageValue, StalkerError):
    """Work is logged on a task before its dependencies allow it."""


class PermissionDeniedError(StalkerError):
    """A user is not permitted to do an action (see docs/permissions.md).

    :attr:`user` is the acting User (``None``: nobody is acting), :attr:`action`
    the refused action (``"Create"`` ...) and :attr:`target` what it was on.
    """

    def __init__(self, message: str, *, user: Any = None, action: str | None = None,
                 target: Any = None) -> None:
        super().__init__(message)
        self.user = user
        self.action = action
        self.target = target


class TemplateError(StalkerError):
    """Base of filename-template problems."""


class TemplateNotFoundError(TemplateError):
    """No FilenameTemplate exists for an entity type in a project's structure."""


class TemplateRenderError(TemplateError):
    """A template has a syntax error or uses an undefined variable."""


class PathEscapeError(TemplateError):
    """A rendered path would leave its repository."""


class TemplateLimitError(TemplateRenderError):
    """A render went over one of the limits of ``[templates]`` in the configuration.

    :ivar template: how the template was named (``"FilenameTemplate 'X'.path"``).
    :ivar limit: the setting that was hit (``"templates.max_steps"``, ...) or
        ``"memory"`` / ``"recursion"``.
    :ivar allowed: the value of that setting (``None`` for memory and recursion).
    """

    def __init__(self, message: str, *, template: str = "<template>", limit: str = "",
                 allowed: float | None = None) -> None:
        super().__init__(message)
        self.template = template
        self.limit = limit
        self.allowed = allowed


class RepositoryError(StalkerError):
    """A path is not inside any known repository, or a repository is invalid."""


class SchedulingError(StalkerError):
    """The scheduler could not produce a plan."""


class TaskJugglerError(SchedulingError):
    """tj3 is missing, timed out, or reported an error."""


class PluginError(StalkerError):
    """A plugin failed to load or raised inside a hook."""


class LaunchError(StalkerError):
    """An application could not be started for a task (unknown app, no install, bad task)."""


class HostError(StalkerError):
    """Base of host (DCC adapter) problems."""


class HostNotAvailableError(HostError):
    """No host plugin answered for the running application."""


class HostCapabilityError(HostError):
    """A host lacks a capability (``"timeline"``, ``"references"`` ...) an operation needs.

    :param message: names the host, the capability and the missing members.
    :param host: the host concerned.
    :param capability: the capability it lacks (a key of
        :data:`stalker_core.hosts.CAPABILITIES`).
    """

    def __init__(self, message: str, *, host: object, capability: str) -> None:
        super().__init__(message)
        self.host = host
        self.capability = capability


class WorkfileError(HostError):
    """A host could not save or open a work file."""


class UnsavedChangesError(HostError):
    """An operation would discard unsaved changes; retry with ``force=True``."""


class VetoError(StalkerError):
    """A before-hook refused the operation; the message gives the reason."""


class PublishError(StalkerError):
    """Base of publish problems."""


class PublishValidationError(PublishError):
    """Validation failed; :attr:`results` holds the failing results."""

    def __init__(self, message: str, results: list[Any] | None = None) -> None:
        super().__init__(message)
        self.results = list(results or [])


class IntegrationError(PublishError):
    """Published files could not be placed; everything was rolled back."""
