"""Reusable column groups: code, status, project, date range, role memberships.

:class:`StatusMixin` objects get their defaults when flushed: a missing
``status_list`` is the first StatusList whose ``target_entity_type`` is the
class name (one query per class and flush), and a missing ``status`` the
first status of the list. Giving a ``status_list`` whose statuses are loaded
sets the status at once.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import ForeignKey, String, event, select
from sqlalchemy.orm import (
    Mapped,
    Mapper,
    Session,
    declared_attr,
    mapped_column,
    relationship,
    validates,
)

from stalker_core.exceptions import StatusError, ValidationError, type_error, value_error
from stalker_core.models.base import Base, mapped_class, on_set, unlink_association
from stalker_core.models.checks import CODE_LENGTH, check_instance, validate_code

# the other public mixins of Stalker, defined in models/column_mixins.py
from stalker_core.models.column_mixins import ACLMixin as ACLMixin
from stalker_core.models.column_mixins import AmountMixin as AmountMixin
from stalker_core.models.column_mixins import DAGMixin as DAGMixin
from stalker_core.models.column_mixins import ReferenceMixin as ReferenceMixin
from stalker_core.models.column_mixins import ScheduleMixin as ScheduleMixin
from stalker_core.models.column_mixins import TargetEntityTypeMixin as TargetEntityTypeMixin
from stalker_core.models.column_mixins import UnitMixin as UnitMixin
from stalker_core.models.column_mixins import WorkingHoursMixin as WorkingHoursMixin
from stalker_core.models.types import ensure_aware, utc_now

if TYPE_CHECKING:
    from stalker_core.models.project import Project
    from stalker_core.models.role import Role
    from stalker_core.models.status import Status, StatusList
    from stalker_core.models.user import User


class CodeMixin:
    """A short ``code`` (e.g. ``"SH001"``), required."""

    code: Mapped[str] = mapped_column(String(CODE_LENGTH), index=True)

    @validates("code")
    def _validate_code(self, key: str, value: Any) -> str:
        return validate_code(type(self).__name__, key, value)


class StatusMixin:
    """A ``status`` taken from the class's ``status_list``."""

    @declared_attr
    def status_id(cls) -> Mapped[int | None]:  # noqa: N805
        return mapped_column(ForeignKey("statuses.id", ondelete="RESTRICT"), index=True)

    @declared_attr
    def status_list_id(cls) -> Mapped[int | None]:  # noqa: N805
        return mapped_column(ForeignKey("status_lists.id", ondelete="RESTRICT"))

    @declared_attr
    def status(cls) -> Mapped[Status | None]:  # noqa: N805
        return relationship("Status", foreign_keys=lambda: [cls.status_id])  # type: ignore[list-item,arg-type]

    @declared_attr
    def status_list(cls) -> Mapped[StatusList | None]:  # noqa: N805
        return relationship("StatusList", foreign_keys=lambda: [cls.status_list_id])  # type: ignore[list-item,arg-type]



def _check_status(target: Any, key: str, value: Any) -> Any:
    cls_name = type(target).__name__
    value = check_instance(cls_name, key, value, mapped_class("Status"))
    sl = target.__dict__.get("status_list")
    if value is not None and sl is not None and "status_links" in sl.__dict__:
        if value not in sl.statuses:
            raise value_error(
                cls_name, key,
                f"one of the statuses of its status list {sl.name!r} "
                f"({', '.join(s.code for s in sl.statuses)})", value,
            )
    return value


def _check_status_list(target: Any, key: str, value: Any) -> Any:
    cls_name = type(target).__name__
    value = check_instance(cls_name, key, value, mapped_class("StatusList"))
    if value is None:
        return None
    wanted = value.target_entity_type
    if wanted and wanted != cls_name and not _is_base_target(type(target), wanted):
        raise value_error(
            cls_name, key, f"a StatusList for {cls_name!r}", f"{value.name!r} (for {wanted!r})"
        )
    if (
        target.__dict__.get("status") is None
        and "status_links" in value.__dict__
        and value.statuses
    ):
        target.status = value.statuses[0]
    return value


def _check_project(target: Any, key: str, value: Any) -> Any:
    return check_instance(type(target).__name__, key, value, mapped_class("Project"))


@event.listens_for(Base, "mapper_configured", propagate=True)
def _install_mixin_checks(mapper: Mapper[Any], cls: type) -> None:
    rels = mapper.relationships
    if issubclass(cls, StatusMixin):
        if "status" in rels and rels["status"].parent is mapper:
            on_set(cls.status, _check_status)  # type: ignore[attr-defined]
            on_set(cls.status_list, _check_status_list)  # type: ignore[attr-defined]
    if issubclass(cls, ProjectMixin):
        if "project" in rels and rels["project"].parent is mapper:
            on_set(cls.project, _check_project)  # type: ignore[attr-defined]


def _is_base_target(cls: type, target: str) -> bool:
    """True when ``target`` names a base class of ``cls`` (Shot accepts a Task list)."""
    return any(b.__name__ == target for b in cls.__mro__[1:])


def check_in_list(
    obj: Any, status: Status, status_list: StatusList, kind: str | None = None
) -> None:
    """Refuse ``status`` for ``obj`` when ``status_list`` does not hold it.

    :param kind: the class name to give (default: ``obj``'s class), for stand-ins.
    :raises StatusError: naming the object, the status, the list and its statuses.
    """
    kind = kind or type(obj).__name__
    codes = [link.status.code for link in status_list.status_links]
    if status.code in codes:
        return
    held = ", ".join(codes) if codes else "no status at all"
    raise StatusError(
        f"{kind} {obj.name!r} should get the status {status.code} "
        f"({status.name}), but its status list {status_list.name!r} holds {held}; "
        f"add {status.code} to the list, or give the {kind.lower()} a status list that has it"
    )


def default_statuses(session: Session) -> None:
    """Flush step: fill missing ``status_list``/``status`` of new statusable objects.

    The status list is the first one stored for the object's class (one
    query for all classes concerned), the status its list's first. An object
    that has a status already (a task's RTS) must find it in its list.

    :raises StatusError: for a status its list does not hold.
    """
    pending = [o for o in session.new if isinstance(o, StatusMixin)]
    if not pending:
        return
    # a new object holds its status list in memory, or none: reading the
    # attribute would ask its (empty) loader each time
    missing = {type(o).__name__ for o in pending if o.__dict__.get("status_list") is None}
    found: dict[str, StatusList] = {}
    if missing:
        status_list_cls = mapped_class("StatusList")
        with session.no_autoflush:
            rows = session.scalars(
                select(status_list_cls)
                .where(status_list_cls.target_entity_type.in_(missing))
                .order_by(status_list_cls.id)
            ).all()
        for sl in rows:
            found.setdefault(sl.target_entity_type, sl)
    checked: dict[Status, list[StatusList]] = {}
    with session.no_autoflush:
        for obj in pending:
            status_list = obj.__dict__.get("status_list")
            if status_list is None:
                status_list = found.get(type(obj).__name__)
                if status_list is None:
                    continue
                obj.status_list = status_list
            status = obj.__dict__.get("status")
            if status is None:
                statuses = status_list.statuses
                if statuses:
                    obj.status = statuses[0]
            else:
                lists = checked.setdefault(status, [])
                if status_list not in lists:
                    # a status given (or set by the workflow) before the list was known
                    check_in_list(obj, status, status_list)
                    lists.append(status_list)


class ProjectMixin:
    """Belongs to a ``project``."""

    @declared_attr
    def project_id(cls) -> Mapped[int | None]:  # noqa: N805
        return mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)

    @declared_attr
    def project(cls) -> Mapped[Project | None]:  # noqa: N805
        return relationship("Project", foreign_keys=lambda: [cls.project_id])  # type: ignore[list-item,arg-type]



def check_date_range(
    cls_name: str, key: str, start: dt.datetime | None, end: dt.datetime | None, *,
    strict: bool = False,
) -> None:
    """The rule of a date range: ``start`` is not after ``end`` (before it when ``strict``).

    Either bound may be missing. :class:`DateRangeMixin` refuses a bad range when
    the second bound is assigned; it never moves the other bound (Stalker moves
    it): to move a range later, set ``end`` first, to move it earlier ``start``.

    :param key: the bound being set (``"start"`` or ``"end"``), named in the message.
    :raises ValidationError: naming both bounds.
    """
    if start is None or end is None:
        return
    if end > start or (end == start and not strict):
        return
    if key == "start":
        expected = f"{'before' if strict else 'on or before'} {cls_name}.end ({end.isoformat()})"
        value, hint = start, "to move the range later, set end first"
    else:
        expected = f"{'after' if strict else 'on or after'} {cls_name}.start ({start.isoformat()})"
        value, hint = end, "to move the range earlier, set start first"
    raise ValidationError(f"{cls_name}.{key} ({value.isoformat()}) should be {expected}; {hint}")


class DateRangeMixin:
    """``start``/``end`` as aware datetimes (``start`` never after ``end``), and ``duration``.

    A constructor takes any two of ``start``, ``end`` and ``duration`` and
    works out the third, as Stalker's does (see :meth:`complete_range`).
    """

    start: Mapped[dt.datetime | None] = mapped_column()
    end: Mapped[dt.datetime | None] = mapped_column()

    @classmethod
    def complete_range(cls, kwargs: dict[str, Any]) -> None:
        """Replace a ``duration`` among constructor ``kwargs`` by the ``start``/``end`` it gives.

        ``start`` and ``duration`` give ``end = start + duration``; ``end`` and
        ``duration`` give ``start = end - duration``; ``duration`` alone starts
        now (UTC). With all three, they must agree: a ``duration`` other than
        ``end - start`` is refused rather than one of the three silently
        ignored. Without ``duration`` nothing changes. Called by
        :class:`~stalker_core.models.base.SimpleEntity`'s constructor.

        :raises StalkerTypeError: ``duration`` is not a ``datetime.timedelta``.
        :raises ValidationError: ``duration`` is not positive, or disagrees with
            ``start`` and ``end``.
        :raises NaiveDatetimeError: ``start`` or ``end`` has no time zone.
        """
        duration = kwargs.pop("duration", None)
        if duration is None:
            return
        cls_name = cls.__name__
        if not isinstance(duration, dt.timedelta):
            raise type_error(cls_name, "duration", "a datetime.timedelta", duration)
        if duration <= dt.timedelta(0):
            raise value_error(cls_name, "duration", "a positive timedelta", duration)
        start = ensure_aware(cls_name, "start", kwargs.get("start"))
        end = ensure_aware(cls_name, "end", kwargs.get("end"))
        if start is not None and end is not None:
            if end - start != duration:
                raise value_error(
                    cls_name, "duration",
                    f"end - start ({end - start}) when start, end and duration are all given",
                    duration,
                )
            return
        if start is None and end is not None:
            kwargs["start"] = end - duration
            return
        if start is None:
            start = kwargs["start"] = utc_now()
        kwargs["end"] = start + duration

    @validates("start", "end")
    def _validate_range(self, key: str, value: Any) -> dt.datetime | None:
        value = ensure_aware(type(self).__name__, key, value)
        if value is not None:
            start, end = (value, self.end) if key == "start" else (self.start, value)
            check_date_range(type(self).__name__, key, start, end)
        return value

    @property
    def duration(self) -> dt.timedelta | None:
        """``end - start`` or ``None`` when either is missing.

        Setting it moves ``end`` to ``start + duration`` (``start`` defaults to now, UTC).
        """
        if self.start is None or self.end is None:
            return None
        return self.end - self.start

    @duration.setter
    def duration(self, value: dt.timedelta) -> None:
        cls_name = type(self).__name__
        if not isinstance(value, dt.timedelta):
            raise type_error(cls_name, "duration", "a datetime.timedelta", value)
        if value <= dt.timedelta(0):
            raise value_error(cls_name, "duration", "a positive timedelta", value)
        if self.start is None:
            self.start = utc_now()
        self.end = self.start + value


class RoleMembersMixin:
    """Members with a role each, through a ``user_roles`` association collection.

    The class sets :attr:`_membership_class` to its association class (which has
    ``user`` and ``role`` attributes), e.g. ``DepartmentUser``.
    """

    _membership_class: ClassVar[Any] = None
    if TYPE_CHECKING:
        user_roles: list[Any]

    def role_of(self, user: Any) -> Any:
        """The role of ``user`` here (``None`` if none or not a member)."""
        for link in self.user_roles:
            if link.user is user:
                return link.role
        return None

    def set_role(self, user: Any, role: Any) -> None:
        """Give ``user`` (made a member when needed) ``role`` here."""
        for link in self.user_roles:
            if link.user is user:
                link.role = role
                return
        self.user_roles.append(self._membership_class(user=user, role=role))


class RoleMembership:
    """The association class of a :class:`RoleMembersMixin` owner: one user, one role.

    A subclass names its owner class; everything else is derived from it::

        class DepartmentUser(RoleMembership, Base, owner="Department"):
            __tablename__ = "department_users"
            department: Mapped[Department]

    declares, in this column order:

    * ``department_id`` -> ``departments.id`` and ``user_id`` -> ``users.id``,
      together the primary key, each deleted with its row (``CASCADE``);
    * ``role_id`` -> ``roles.id``, set to NULL when the role is deleted;
    * the relationships ``department`` (``Department.user_roles`` on the other
      side), ``user`` (``User.department_roles``, loaded joined, so listing the
      members is one query) and ``role``;
    * one validator of the three: each is an instance of its class (errors name
      the owner class), and removing a link on one side removes it on the other.

    Extra columns (a project member's ``rate``) follow in the subclass body.
    """

    #: the owner class name, e.g. ``"Department"``; set by the ``owner=`` class keyword
    _owner: ClassVar[str] = ""
    #: the owner attribute (``"department"``), also the prefix of its column and table
    _owner_key: ClassVar[str] = ""

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, sort_order=-1
    )
    role_id: Mapped[int | None] = mapped_column(
        ForeignKey("roles.id", ondelete="SET NULL"), sort_order=-1
    )

    @declared_attr
    def user(cls) -> Mapped[User]:  # noqa: N805 - declarative directive
        return relationship(
            "User", back_populates=f"{cls._owner_key}_roles", lazy="joined", innerjoin=True
        )

    @declared_attr
    def role(cls) -> Mapped[Role | None]:  # noqa: N805 - declarative directive
        return relationship("Role")

    def __init_subclass__(cls, *, owner: str = "", **kwargs: Any) -> None:
        if owner:
            key = owner.lower()
            cls._owner = owner
            cls._owner_key = key
            # set before the declarative base maps the class (its __init_subclass__ runs next)
            setattr(
                cls,
                f"{key}_id",
                mapped_column(
                    ForeignKey(f"{key}s.id", ondelete="CASCADE"), primary_key=True, sort_order=-2
                ),
            )
            setattr(cls, key, relationship(owner, back_populates="user_roles"))
            cls._validate_links = validates(key, "user", "role")(  # type: ignore[attr-defined]
                _check_membership_link
            )
        super().__init_subclass__(**kwargs)


def _check_membership_link(link: RoleMembership, key: str, value: Any) -> Any:
    """Validator of a :class:`RoleMembership`'s owner, ``user`` and ``role``."""
    from sqlalchemy import inspect as sa_inspect

    expected = sa_inspect(type(link)).relationships[key].mapper.class_
    value = check_instance(link._owner, key, value, expected)
    if key != "role":
        sides = {link._owner_key: "user_roles", "user": f"{link._owner_key}_roles"}
        unlink_association(link, key, value, sides)
    return value
