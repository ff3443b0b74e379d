"""Stalker's ``stalker.models.auth``: users, groups, permissions, roles, logins.

Re-exports only; each class is defined in its own module of this package.
"""

from __future__ import annotations

from stalker_core.models.auth_log import LOGIN, LOGOUT, AuthenticationLog
from stalker_core.models.group import Group, Permission
from stalker_core.models.local_session import LocalSession
from stalker_core.models.role import Role
from stalker_core.models.user import User

__all__ = [
    "LOGIN",
    "LOGOUT",
    "AuthenticationLog",
    "Group",
    "LocalSession",
    "Permission",
    "Role",
    "User",
]
