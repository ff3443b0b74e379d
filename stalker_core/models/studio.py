"""Studio: the company; owns working hours and runs the scheduler (contract C1).

``studio.working_hours`` is the studio's :class:`WorkingHours` (created with
the configured defaults when missing); ``studio.working_hours["mon"]`` gives
``[[540, 1080]]``. ``studio.schedule()`` delegates to
the ``schedule_studio`` service (:mod:`stalker_core.models.services`) with ``studio.scheduler``
(``None``: the native scheduler); ``studio.to_tjp`` to the ``to_tjp`` service.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import ForeignKey, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column, object_session, relationship, validates

from stalker_core.exceptions import type_error, value_error
from stalker_core.models.base import Entity, check_instance, fk_id
from stalker_core.models.column_mixins import WorkingHoursMixin
from stalker_core.models.mixins import DateRangeMixin
from stalker_core.models.services import service
from stalker_core.models.types import ensure_aware, utc_now

# Stalker defines these next to Studio (``stalker.models.studio``)
from stalker_core.models.vacation import Vacation as Vacation
from stalker_core.models.working_hours import WorkingHours as WorkingHours
from stalker_core.orm.statements import statement

if TYPE_CHECKING:
    from stalker_core.models.project import Project
    from stalker_core.models.user import User
    from stalker_core.models.vacation import Vacation
    from stalker_core.models.working_hours import WorkingHours
    from stalker_core.units import WorkCalendar


class Studio(Entity, DateRangeMixin, WorkingHoursMixin):
    """The studio. ``schedule()`` plans the studio's projects (see scheduling).

    :param name: the studio name (required).
    :param working_hours: a :class:`WorkingHours` or a ``{"mon": [[540, 1080]], ...}`` dict.
    :param timing_resolution: a ``datetime.timedelta`` (default: configuration, 1 hour).
    :param daily_working_hours, weekly_working_days, yearly_working_days: stored
        on the studio's working hours.
    """

    __tablename__ = "studios"
    _required: ClassVar[tuple[str, ...]] = ("name",)
    id: Mapped[int] = fk_id("simple_entities")
    working_hours_id: Mapped[int | None] = mapped_column(
        ForeignKey("working_hours.id", ondelete="SET NULL")
    )
    working_hours_obj: Mapped[WorkingHours | None] = relationship(
        foreign_keys=[working_hours_id]
    )
    #: timing resolution of schedules, in seconds (default one hour).
    timing_resolution_seconds: Mapped[int] = mapped_column(default=3600)
    is_scheduling: Mapped[bool] = mapped_column(default=False)
    is_scheduling_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    scheduling_started_at: Mapped[dt.datetime | None] = mapped_column()
    last_scheduled_at: Mapped[dt.datetime | None] = mapped_column()
    last_scheduled_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    last_schedule_message: Mapped[str | None] = mapped_column(Text)
    is_scheduling_by: Mapped[User | None] = relationship(foreign_keys=[is_scheduling_by_id])
    last_scheduled_by: Mapped[User | None] = relationship(foreign_keys=[last_scheduled_by_id])

    #: the scheduler used by ``schedule()`` (not stored); ``None`` = native.
    scheduler: ClassVar[Any] = None

    def __init__(self, **kwargs: Any) -> None:
        wh_kwargs = {
            k: kwargs.pop(k)
            for k in ("daily_working_hours", "weekly_working_days", "yearly_working_days")
            if k in kwargs
        }
        if "timing_resolution" not in kwargs and "timing_resolution_seconds" not in kwargs:
            from stalker_core.config import get_config

            kwargs["timing_resolution_seconds"] = get_config().timing_resolution
        super().__init__(**kwargs)
        for k, v in wh_kwargs.items():
            setattr(self, k, v)
        if self.start is None:
            self.start = self.now
        if self.end is None:
            self.end = self.start + self.timing_resolution

    # --- validation ---------------------------------------------------------

    @validates("timing_resolution_seconds")
    def _validate_resolution(self, key: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise type_error("Studio", key, "an int number of seconds", value)
        if value < 60 or value > 86400:
            raise value_error("Studio", key, "between 60 (1 min) and 86400 (1 day)", value)
        return value

    @validates("working_hours_obj")
    def _validate_wh(self, key: str, value: Any) -> Any:
        from stalker_core.models.working_hours import WorkingHours

        return check_instance("Studio", "working_hours", value, WorkingHours)

    @validates("is_scheduling_by", "last_scheduled_by")
    def _validate_users(self, key: str, value: Any) -> Any:
        from stalker_core.models.user import User

        return check_instance("Studio", key, value, User)

    @validates("scheduling_started_at", "last_scheduled_at")
    def _validate_dates(self, key: str, value: Any) -> Any:
        return ensure_aware("Studio", key, value)

    @validates("is_scheduling")
    def _validate_flag(self, key: str, value: Any) -> bool:
        if not isinstance(value, bool):
            raise type_error("Studio", key, "a bool", value)
        return value

    # --- working time -------------------------------------------------------

    @property
    def working_hours(self) -> WorkingHours:
        """The studio's working hours (created with the configured defaults when missing)."""
        wh = self.working_hours_obj
        if wh is None:
            from stalker_core.models.working_hours import WorkingHours

            wh = WorkingHours()
            self.working_hours_obj = wh
        return wh

    @working_hours.setter
    def working_hours(self, value: Any) -> None:
        from stalker_core.models.working_hours import WorkingHours

        if isinstance(value, dict):
            if self.working_hours_obj is None:
                self.working_hours_obj = WorkingHours(working_hours=value)
            else:
                self.working_hours_obj.working_hours = value
            return
        if not isinstance(value, WorkingHours):
            raise type_error("Studio", "working_hours", "a WorkingHours or a weekday dict", value)
        self.working_hours_obj = value

    @property
    def daily_working_hours(self) -> float:
        """Hours in a working day (stored on :attr:`working_hours`)."""
        return self.working_hours.daily_working_hours

    @daily_working_hours.setter
    def daily_working_hours(self, value: float) -> None:
        self.working_hours.daily_working_hours = value

    @property
    def weekly_working_days(self) -> float:
        """Working days in a week (stored on :attr:`working_hours`)."""
        return self.working_hours.weekly_working_days

    @weekly_working_days.setter
    def weekly_working_days(self, value: float) -> None:
        self.working_hours.weekly_working_days = value

    @property
    def yearly_working_days(self) -> float:
        """Working days in a year (stored on :attr:`working_hours`)."""
        return self.working_hours.yearly_working_days

    @yearly_working_days.setter
    def yearly_working_days(self, value: float) -> None:
        self.working_hours.yearly_working_days = value

    @property
    def weekly_working_hours(self) -> float:
        """``daily_working_hours * weekly_working_days``."""
        return self.daily_working_hours * self.weekly_working_days

    @property
    def work_calendar(self) -> WorkCalendar:
        """The unit conversion calendar of this studio (contract C1)."""
        from stalker_core.units import WorkCalendar

        return WorkCalendar(
            daily_working_hours=self.daily_working_hours,
            weekly_working_days=self.weekly_working_days,
            yearly_working_days=self.yearly_working_days,
        )

    @property
    def timing_resolution(self) -> dt.timedelta:
        """The schedule resolution as a timedelta."""
        return dt.timedelta(seconds=self.timing_resolution_seconds or 3600)

    @timing_resolution.setter
    def timing_resolution(self, value: dt.timedelta) -> None:
        if not isinstance(value, dt.timedelta):
            raise type_error("Studio", "timing_resolution", "a datetime.timedelta", value)
        seconds = value.total_seconds()
        if not seconds.is_integer():
            raise value_error("Studio", "timing_resolution", "a whole number of seconds", value)
        self.timing_resolution_seconds = int(seconds)

    @property
    def now(self) -> dt.datetime:
        """Now (UTC), rounded down to the timing resolution."""
        step = self.timing_resolution_seconds or 3600
        now = utc_now()
        stamp = int(now.timestamp()) // step * step
        return dt.datetime.fromtimestamp(stamp, tz=dt.UTC)

    # --- what the studio holds ----------------------------------------------

    def _session(self) -> Session:
        sess = object_session(self)
        if sess is not None:
            return sess
        from stalker_core.orm.session import DBSession

        return DBSession()  # type: ignore[no-any-return]

    @property
    def projects(self) -> list[Project]:
        """All projects in the studio's database."""
        from stalker_core.models.project import Project

        return list(self._session().scalars(select(Project).order_by(Project.id)))

    @property
    def users(self) -> list[User]:
        """All users in the studio's database."""
        from stalker_core.models.user import User

        return list(self._session().scalars(select(User).order_by(User.id)))

    @property
    def vacations(self) -> list[Vacation]:
        """Studio-wide vacations (those without a user)."""
        from stalker_core.models.vacation import Vacation

        q = select(Vacation).where(Vacation.user_id.is_(None)).order_by(Vacation.id)
        return list(self._session().scalars(q))

    # --- scheduling (contract C1) -------------------------------------------

    def schedule(
        self, scheduled_by: User | None = None, projects: list[Project] | None = None
    ) -> Any:
        """Plan the studio's projects with :attr:`scheduler` (``None``: native).

        :returns: the :class:`~stalker_core.scheduling.ScheduleResult`.
        """
        return service("schedule_studio")(
            self, scheduled_by=scheduled_by, projects=projects, scheduler=self.scheduler,
            session=object_session(self),
        )

    @property
    def to_tjp(self) -> str:
        """The studio as the TaskJuggler project header."""
        return service("to_tjp")(self)


def _calendar_statement() -> Any:
    studios, hours = Studio.__table__, WorkingHours.__table__
    return (
        select(
            studios.c.id,
            hours.c.daily_working_hours,
            hours.c.weekly_working_days,
            hours.c.yearly_working_days,
        )
        .select_from(studios.outerjoin(hours, hours.c.id == studios.c.working_hours_id))
        .limit(1)
    )


def stored_work_calendar(session: Session) -> WorkCalendar | None:
    """The work calendar of the stored studio, in one small query; ``None`` without one.

    The studio's three working-time numbers are read with a join of two
    tables, not by loading the Studio and its WorkingHours as objects: every
    change of a task's schedule converts units with it. A studio that is in
    the session already (perhaps changed, not flushed yet), or that has no
    working hours stored, answers as an object does (:attr:`Studio.work_calendar`).
    """
    from sqlalchemy.orm.util import identity_key

    from stalker_core.units import WorkCalendar

    connection = session.connection(bind_arguments={"mapper": Studio.__mapper__})
    row = connection.execute(statement("studio calendar", _calendar_statement)).first()
    if row is None:
        return None
    studio = session.identity_map.get(identity_key(Studio, row.id))
    if studio is None and row.daily_working_hours is not None:
        return WorkCalendar(
            daily_working_hours=row.daily_working_hours,
            weekly_working_days=row.weekly_working_days,
            yearly_working_days=row.yearly_working_days,
        )
    if studio is None:
        studio = session.get(Studio, row.id)
    return studio.work_calendar if studio is not None else None
