"""Per kind: which class of ours a Stalker entity type becomes and how its columns translate.

Each :class:`Kind` names the Stalker ``entity_type``, our class, the columns
that identify an existing row of ours (natural keys, for the rows ``db.init()``
already made: the admin, default statuses and status lists, types), and a
``prepare`` function that turns a merged Stalker row into our column names
and values. Columns of the same name need nothing; what is neither ours nor
consumed by a ``prepare`` is reported as not mapped.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from stalker_core.models.user import hash_password

Row = dict[str, Any]

#: Stalker columns never reported: bookkeeping, and values ours derives
#: (durations from start/end, the scheduler's and roll-ups' caches)
IGNORED = frozenset({
    "id", "entity_type", "stalker_version", "duration", "schedule_seconds",
    "total_logged_seconds", "computed_start", "computed_end",
})


class Context(Protocol):
    """What a ``prepare`` function may ask of the running import."""

    schema_variant_column: str
    schema_macos_column: str

    def status_code(self, source_status_id: int | None) -> str | None: ...

    def version_path(self, row: Row) -> str | None: ...

    def variant(self, task_id: int) -> tuple[int, str] | None: ...

    def note(self, message: str) -> None: ...


@dataclass(frozen=True)
class Kind:
    """One Stalker entity type and how it becomes rows of ours."""

    source: str
    target: str
    natural_key: tuple[str, ...] = ()
    prepare: Callable[[Row, Context], Row] | None = None
    #: source columns the prepare step (or a link) consumes
    consumes: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"<Kind {self.source} -> {self.target}>"


def _blank(row: Row, *keys: str) -> None:
    """Our text columns refuse NULL: Stalker's NULL becomes ''."""
    for key in keys:
        if row.get(key) is None:
            row[key] = ""


def legacy_password_hash(stored: str | None, login: str, ctx: Context) -> str:
    """Our scrypt hash of a Stalker password.

    Stalker keeps ``base64(password)``, which is the password itself, not a
    hash. The importer decodes it and stores only a scrypt hash, so the
    plain password never lands in our database and no legacy check is needed
    at login. A value that does not decode gets an unusable random password
    (reported: an administrator must reset it).
    """
    try:
        password = base64.b64decode(str(stored), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        password = ""
    if not password:
        ctx.note(f"User {login!r}: the Stalker password could not be read; set a new one")
        password = secrets.token_urlsafe(24)
    return hash_password(password)


def _user(row: Row, ctx: Context) -> Row:
    row["password_hash"] = legacy_password_hash(row.get("password"), str(row["login"]), ctx)
    return row


def _repository(row: Row, ctx: Context) -> Row:
    row["macos_path"] = row.get(ctx.schema_macos_column)
    _blank(row, "linux_path", "windows_path", "macos_path")
    return row


def _working_hours(row: Row, ctx: Context) -> Row:
    value = row.get("working_hours")
    if isinstance(value, str):
        row["working_hours"] = json.loads(value)
    return row


def seconds(value: Any) -> int | None:
    """A Stalker interval as seconds (SQLite keeps it as a datetime after the epoch)."""
    if value is None:
        return None
    if isinstance(value, dt.timedelta):
        return int(value.total_seconds())
    if isinstance(value, dt.datetime):
        epoch = dt.datetime(1970, 1, 1, tzinfo=value.tzinfo)
        return int((value - epoch).total_seconds())
    return int(value)


def _studio(row: Row, ctx: Context) -> Row:
    row["timing_resolution_seconds"] = seconds(row.get("timing_resolution"))
    return row


def _version(row: Row, ctx: Context) -> Row:
    row["take_name"] = row.get(ctx.schema_variant_column) or "Main"
    variant = ctx.variant(row["task_id"])
    if variant is not None:  # Stalker 1.1: a Variant task holds the versions of a take
        row["task_id"], row["take_name"] = variant
    full = ctx.version_path(row)
    if full:
        path, _, name = full.rpartition("/")
        row["path"], row["filename"] = path, name
    else:
        ctx.note(f"Version {row['id']}: no file path in Stalker; path left empty")
    return row


def _file(row: Row, ctx: Context) -> Row:
    _blank(row, "full_path", "original_filename")
    return row


#: Stalker review status code -> our decision
DECISIONS = {"APP": "approved", "RREV": "revision"}


def _review(row: Row, ctx: Context) -> Row:
    row["decision"] = DECISIONS.get(ctx.status_code(row.get("status_id")) or "", "pending")
    return row


def _ticket(row: Row, ctx: Context) -> Row:
    row["resolution"] = (row.get("resolution") or "").lower()
    _blank(row, "summary")
    return row


def _note(row: Row, ctx: Context) -> Row:
    row["content"] = row.get("content") or row.get("description") or ""
    return row


def _blanks(*keys: str) -> Callable[[Row, Context], Row]:
    def prepare(row: Row, ctx: Context) -> Row:
        _blank(row, *keys)
        return row
    return prepare


def _auth_log(row: Row, ctx: Context) -> Row:
    row["user_id"] = row.get("uid")
    return row


_TASK = ("sequence_id", "scene_id", "review_number")

#: in creation order: a kind comes after every kind its required references point to
KINDS: tuple[Kind, ...] = (
    Kind("User", "User", ("login",), _user, ("password",)),
    Kind("Role", "Role", ("name",)),
    Kind("Department", "Department", ("name",)),
    Kind("Group", "Group", ("name",)),
    Kind("Status", "Status", ("code",)),
    Kind("StatusList", "StatusList", ("target_entity_type",)),
    Kind("Type", "Type", ("name", "target_entity_type")),
    Kind("Tag", "Tag", ("name",)),
    Kind("ImageFormat", "ImageFormat"),
    Kind("Repository", "Repository", (), _repository, ("osx_path",)),
    Kind("FilenameTemplate", "FilenameTemplate", (), _blanks("path", "filename")),
    Kind("Structure", "Structure", (), _blanks("custom_template")),
    Kind("WorkingHours", "WorkingHours", (), _working_hours),
    Kind("Studio", "Studio", (), _studio, ("timing_resolution",)),
    Kind("Client", "Client"),
    Kind("Project", "Project"),
    Kind("Task", "Task", (), None, _TASK),
    Kind("Asset", "Asset", (), None, _TASK),
    Kind("Sequence", "Sequence", (), None, _TASK),
    Kind("Scene", "Scene", (), None, _TASK),
    Kind("Shot", "Shot", (), None, _TASK),
    Kind("Link", "File", (), _file),
    Kind("File", "File", (), _file),
    Kind("Version", "Version", (), _version,
         ("variant_name", "take_name", "full_path", "original_filename")),
    Kind("TimeLog", "TimeLog"),
    Kind("Review", "Review", (), _review),
    Kind("Ticket", "Ticket", (), _ticket),
    Kind("TicketLog", "TicketLog", (), _blanks("action")),
    Kind("Note", "Note", (), _note, ("content",)),
    Kind("Page", "Page", (), _blanks("title", "content")),
    Kind("Message", "Message"),
    Kind("Good", "Good", (), _blanks("unit")),
    Kind("PriceList", "PriceList"),
    Kind("Budget", "Budget"),
    Kind("BudgetEntry", "BudgetEntry", (), _blanks("unit")),
    Kind("Invoice", "Invoice", (), _blanks("unit")),
    Kind("Payment", "Payment", (), _blanks("unit")),
    Kind("Daily", "Daily"),
    Kind("Vacation", "Vacation"),
    Kind("EntityGroup", "EntityGroup"),
    Kind("AuthenticationLog", "AuthenticationLog", (), _auth_log, ("uid",)),
)

#: Stalker entity types with no counterpart of ours (reported with their row count); a
#: Variant's versions go to its parent task, with the variant's name as their take name
NOT_MAPPED_TYPES = ("Variant",)
