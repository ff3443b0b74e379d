"""Time for the schedulers: time zones, alignment to the resolution, the slot calendar.

:func:`to_zone` and :func:`align_up` serve every scheduler; :class:`SlotCalendar`
is the native scheduler's view of time.

Time is cut into *calendar slots* of the studio's timing resolution, counted
from an origin (the scheduling start). A slot is a *working slot* when it lies
entirely inside the studio's working hours (in the studio's time zone, so
daylight saving is honoured) and outside every studio-wide vacation. Working
slots are numbered 0, 1, 2... in order; resource availability is kept per
working slot, so skipping nights and weekends costs nothing.

The calendar grows on demand (by whole weeks) up to a hard limit.
"""

from __future__ import annotations

import datetime as dt
import math
from array import array
from bisect import bisect_left
from zoneinfo import ZoneInfo

from stalker_core.exceptions import SchedulingError
from stalker_core.scheduling.data import WEEKDAYS, Interval

UTC = dt.UTC
#: the reference instant that resolution-aligned times count from (a Monday)
EPOCH = dt.datetime(2000, 1, 3, tzinfo=UTC)


def align_up(moment: dt.datetime, resolution: int) -> dt.datetime:
    """``moment`` rounded up to a multiple of ``resolution`` seconds (UTC aligned)."""
    secs = (moment.astimezone(UTC) - EPOCH).total_seconds()
    return EPOCH + dt.timedelta(seconds=math.ceil(secs / resolution - 1e-9) * resolution)


def to_zone(name: str) -> dt.tzinfo:
    """The tzinfo for ``name`` (``"UTC"`` and aliases map to UTC).

    :raises SchedulingError: for an unknown time zone.
    """
    if name in ("UTC", "Etc/UTC", "Z", "GMT", "Etc/GMT", "Universal", "Zulu"):
        return UTC
    try:
        return ZoneInfo(name)
    except Exception as exc:  # noqa: BLE001 - ZoneInfo raises several kinds
        raise SchedulingError(
            f"unknown time zone {name!r} for the studio's working hours; "
            "expected an IANA name such as 'Europe/London'"
        ) from exc


class SlotCalendar:
    """Working slots from ``origin`` on, in steps of ``resolution`` seconds.

    :param origin: aware datetime of calendar slot 0.
    :param resolution: slot length in seconds.
    :param working_hours: ``{"mon": [[start_min, end_min], ...], ...}``.
    :param timezone: the zone the working hours are given in.
    :param holidays: studio-wide vacations.
    :param max_days: the calendar refuses to grow past this many days.
    """

    def __init__(
        self,
        origin: dt.datetime,
        resolution: int,
        working_hours: dict[str, list[list[int]]],
        timezone: str = "UTC",
        holidays: list[Interval] | None = None,
        max_days: int = 366 * 25,
    ) -> None:
        if resolution <= 0:
            raise SchedulingError(
                f"timing resolution should be a positive number of seconds, not {resolution}"
            )
        self.origin = origin.astimezone(UTC)
        self.res = int(resolution)
        self.tz = to_zone(timezone)
        self.hours = {d: sorted((int(a), int(b)) for a, b in working_hours.get(d, []) or [])
                      for d in WEEKDAYS}
        if not any(self.hours.values()):
            raise SchedulingError(
                "the studio has no working hours at all; give at least one working interval, "
                "e.g. {'mon': [[540, 1080]]}"
            )
        self.holidays = sorted(
            (self.slot_floor(s), self.slot_ceil(e)) for s, e in (holidays or [])
        )
        self.max_days = max_days
        #: calendar slot of each working slot
        self.work = array("q")
        #: for each working slot, the working index where its contiguous block ends
        self.block_end = array("q")
        self._days = 0
        self.grow_days(28)

    # -- conversions ------------------------------------------------------------------
    def slot_floor(self, moment: dt.datetime) -> int:
        """The calendar slot holding ``moment``."""
        return math.floor((moment - self.origin).total_seconds() / self.res)

    def slot_ceil(self, moment: dt.datetime) -> int:
        """The first calendar slot starting at or after ``moment``."""
        return math.ceil((moment - self.origin).total_seconds() / self.res - 1e-9)

    def at(self, slot: int) -> dt.datetime:
        """The start of calendar slot ``slot`` (aware, UTC)."""
        return self.origin + dt.timedelta(seconds=slot * self.res)

    @property
    def size(self) -> int:
        """Number of working slots known so far."""
        return len(self.work)

    def first_work(self, cal_slot: int) -> int:
        """Index of the first working slot at or after calendar slot ``cal_slot``."""
        while not self.work or self.work[-1] < cal_slot:
            self.grow()
        return bisect_left(self.work, cal_slot)

    def ensure(self, index: int) -> None:
        """Grow until working slot ``index`` exists."""
        while len(self.work) <= index:
            self.grow()

    def ensure_cal(self, cal_slot: int) -> None:
        """Grow until the calendar covers calendar slot ``cal_slot``."""
        while self._end_slot() <= cal_slot:
            self.grow()

    def _end_slot(self) -> int:
        return self.slot_floor(self._day_start(self._days))

    def runs(self, start: int, stop: int) -> list[tuple[int, int]]:
        """Split working slots ``[start, stop)`` into calendar-contiguous runs.

        :returns: ``(first_calendar_slot, calendar_slot_after_last)`` pairs.
        """
        out = []
        work, bend = self.work, self.block_end
        while start < stop:
            end = min(stop, bend[start])
            out.append((work[start], work[end - 1] + 1))
            start = end
        return out

    # -- growth -----------------------------------------------------------------------
    def grow(self) -> None:
        """Add working slots (doubling the horizon)."""
        self.grow_days(max(28, self._days))

    def _day_start(self, day: int) -> dt.datetime:
        local0 = self.origin.astimezone(self.tz).date()
        date = local0 + dt.timedelta(days=day)
        return dt.datetime(date.year, date.month, date.day, tzinfo=self.tz).astimezone(UTC)

    def grow_days(self, days: int) -> None:
        """Add ``days`` more days of working slots."""
        if self._days >= self.max_days:
            raise SchedulingError(
                f"the plan does not fit in {self.max_days // 366} years from "
                f"{self.origin:%Y-%m-%d}: some task can never be given its resources "
                "(are they on vacation for ever?)"
            )
        local0 = self.origin.astimezone(self.tz).date()
        new: list[int] = []
        for day in range(self._days, self._days + days):
            date = local0 + dt.timedelta(days=day)
            for a, b in self.hours[WEEKDAYS[date.weekday()]]:
                start = self._local(date, a)
                end = self._local(date, b)
                first = max(self.slot_ceil(start), 0)
                last = self.slot_floor(end)  # exclusive
                new.extend(range(first, last))
        if self.holidays and new:
            new = [s for s in new if not self._in_holiday(s)]
        if self.work:
            new = [s for s in new if s > self.work[-1]]
        base = len(self.work)
        self.work.extend(new)
        self.block_end.extend([0] * len(new))
        work, bend = self.work, self.block_end
        n = len(work)
        k = base - 1 if base else 0
        while k > 0 and work[k - 1] == work[k] - 1:
            k -= 1
        block = n
        for i in range(n - 1, k - 1, -1):
            if i + 1 < n and work[i + 1] != work[i] + 1:
                block = i + 1
            bend[i] = block
        self._days += days

    def _local(self, date: dt.date, minutes: int) -> dt.datetime:
        day = dt.datetime(date.year, date.month, date.day, tzinfo=self.tz)
        if minutes >= 1440:
            day = dt.datetime.combine(date + dt.timedelta(days=1), dt.time(), tzinfo=self.tz)
            minutes -= 1440
        return (day + dt.timedelta(minutes=minutes)).astimezone(UTC)

    def _in_holiday(self, slot: int) -> bool:
        return any(s <= slot < e for s, e in self.holidays)
