"""``LocalSession``: the user logged in on this computer, remembered between runs.

A tool that asked for a login once keeps the user for a while (ten days by
default) in a small JSON file of the user's data directory, as Stalker's
``LocalSession`` does. The file holds the user's id and when the session
ends, nothing else (never a password). Nothing is read or written until a
method is called.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from stalker_core.models.base import check_instance, mapped_class
from stalker_core.models.types import utc_now
from stalker_core.orm.session import DBSession

#: the file name in :func:`stalker_core.config.user_data_dir`
FILE_NAME = "local_session.json"
#: how long a stored login stays valid
LIFETIME = dt.timedelta(days=10)


class LocalSession:
    """The stored login of this computer: :attr:`logged_in_user` until :attr:`valid_to`.

    ::

        session = LocalSession()          # reads the file, when there is a valid one
        if session.logged_in_user is None:
            session.store_user(user)      # after checking the password
            session.save()

    :param path: the session file (default :meth:`session_file_full_path`).
    """

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else Path(self.session_file_full_path())
        self.logged_in_user_id: int | None = None
        self.valid_to: dt.datetime | None = None
        self.load()

    @classmethod
    def session_file_full_path(cls) -> str:
        """The default session file: ``local_session.json`` in the user data directory."""
        from stalker_core.config import user_data_dir

        return str(user_data_dir() / FILE_NAME)

    def load(self) -> None:
        """Read the file; a missing, unreadable or expired one leaves nobody logged in."""
        self.logged_in_user_id = None
        self.valid_to = None
        try:
            data: Any = json.loads(self.path.read_text(encoding="utf-8"))
            user_id = data["logged_in_user_id"]
            valid_to = dt.datetime.fromisoformat(data["valid_to"])
        except (OSError, ValueError, KeyError, TypeError):
            return
        if isinstance(user_id, int) and valid_to.tzinfo is not None and valid_to > utc_now():
            self.logged_in_user_id = user_id
            self.valid_to = valid_to

    @property
    def logged_in_user(self) -> Any:
        """The stored :class:`~stalker_core.models.user.User`, or ``None``."""
        if self.logged_in_user_id is None:
            return None
        return DBSession.get(mapped_class("User"), self.logged_in_user_id)

    def store_user(self, user: Any) -> None:
        """Remember ``user`` (a stored User) from now for :data:`LIFETIME`."""
        user = check_instance("LocalSession", "user", user, mapped_class("User"), required=True)
        self.logged_in_user_id = user.id
        self.valid_to = utc_now() + LIFETIME

    def save(self) -> None:
        """Write the file (its folder is created when missing); nobody stored: delete it."""
        if self.logged_in_user_id is None or self.valid_to is None:
            self.delete()
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"logged_in_user_id": self.logged_in_user_id,
                "valid_to": self.valid_to.isoformat()}
        self.path.write_text(json.dumps(data), encoding="utf-8")

    def delete(self) -> None:
        """Forget the stored login and remove the file."""
        self.logged_in_user_id = None
        self.valid_to = None
        self.path.unlink(missing_ok=True)

    def __repr__(self) -> str:
        return f"<LocalSession user_id={self.logged_in_user_id} valid_to={self.valid_to}>"
