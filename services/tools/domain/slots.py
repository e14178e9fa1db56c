"""Open consultation slots from a broker's working hours and busy times (pure).

Working hours are in the broker's timezone; slots are one appointment long, aligned to the
start of each working-hours block; preferences (weekday, morning/afternoon) and the hours a
caller may be called (8 a.m. to 9 p.m.) are judged in the caller's timezone. Soonest first.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from contracts.tools import PartOfDay, Weekday
from services.tools.domain.timezones import zone

ISO_WEEKDAYS: dict[Weekday, int] = {
    Weekday.MON: 1, Weekday.TUE: 2, Weekday.WED: 3, Weekday.THU: 4, Weekday.FRI: 5,
    Weekday.SAT: 6, Weekday.SUN: 7,
}  # fmt: skip
NOON = 12
#: a consultation is a phone call to the caller: inside the hours a caller may be called
#: (8 a.m. to 9 p.m. on their own clock), whatever the broker's hours
CALLER_DAY = (time(8), time(21))


@dataclass(frozen=True)
class WorkingHours:
    weekday: int  # ISO: 1 = Monday
    start: time
    end: time


@dataclass(frozen=True)
class Interval:
    start: datetime
    end: datetime

    def overlaps(self, start: datetime, end: datetime) -> bool:
        return self.start < end and start < self.end


@dataclass(frozen=True)
class BrokerSchedule:
    broker_id: str
    timezone: str
    appointment_minutes: int
    hours: Sequence[WorkingHours]
    busy: Sequence[Interval] = ()


@dataclass(frozen=True)
class Preference:
    days: frozenset[int] = field(default_factory=frozenset)  # ISO weekdays, caller's time
    part_of_day: PartOfDay = PartOfDay.ANY
    #: the caller's hours: a slot starts at or after ``starts_from`` and before ``starts_before``
    starts_from: time | None = None
    starts_before: time | None = None

    @classmethod
    def of(
        cls,
        days: Sequence[Weekday],
        part_of_day: PartOfDay,
        starts_from: str | None = None,
        starts_before: str | None = None,
    ) -> Preference:
        return cls(
            frozenset(ISO_WEEKDAYS[d] for d in days),
            part_of_day,
            time.fromisoformat(starts_from) if starts_from else None,
            time.fromisoformat(starts_before) if starts_before else None,
        )

    def accepts(self, local_start: datetime) -> bool:
        if self.days and local_start.isoweekday() not in self.days:
            return False
        at = local_start.time().replace(tzinfo=None)
        if self.starts_from is not None and at < self.starts_from:
            return False
        if self.starts_before is not None and at >= self.starts_before:
            return False
        if self.part_of_day is PartOfDay.MORNING:
            return local_start.hour < NOON
        if self.part_of_day is PartOfDay.AFTERNOON:
            return local_start.hour >= NOON
        return True


@dataclass(frozen=True)
class OpenSlot:
    start: datetime
    end: datetime


def _local(day: date, at: time, tz: str) -> datetime | None:
    """``day`` at ``at`` in ``tz`` as UTC; None for a wall time that does not exist (DST)."""
    wall = datetime.combine(day, at, tzinfo=zone(tz))
    utc = wall.astimezone(UTC)
    if utc.astimezone(zone(tz)).replace(tzinfo=None) != wall.replace(tzinfo=None):
        return None
    return utc


def candidate_starts(
    schedule: BrokerSchedule, earliest: datetime, latest: datetime
) -> Iterator[tuple[datetime, datetime]]:
    """Every slot inside working hours between ``earliest`` and ``latest``, in time order."""
    length = timedelta(minutes=schedule.appointment_minutes)
    tz = zone(schedule.timezone)
    by_day: dict[int, list[WorkingHours]] = {}
    for block in sorted(schedule.hours, key=lambda h: (h.weekday, h.start)):
        by_day.setdefault(block.weekday, []).append(block)
    day = earliest.astimezone(tz).date()
    last_day = latest.astimezone(tz).date()
    while day <= last_day:
        for block in by_day.get(day.isoweekday(), []):
            start = _local(day, block.start, schedule.timezone)
            end_of_block = _local(day, block.end, schedule.timezone)
            if start is None or end_of_block is None:
                continue
            while start + length <= end_of_block:
                end = start + length
                if start >= earliest and end <= latest:
                    yield start, end
                start = end
        day += timedelta(days=1)


def _callable(local_start: datetime, local_end: datetime) -> bool:
    """Inside the caller's calling hours (:data:`CALLER_DAY`), on their clock."""
    first, last = CALLER_DAY
    same_day = local_end.date() == local_start.date() or local_end.time() == time(0)
    return (
        same_day
        and local_start.time() >= first
        and (local_end.time() <= last and local_end.time() != time(0))
    )


def open_slots(
    schedule: BrokerSchedule,
    *,
    earliest: datetime,
    latest: datetime,
    caller_timezone: str,
    preference: Preference,
    limit: int,
) -> list[OpenSlot]:
    """The first ``limit`` free slots the caller would accept, soonest first."""
    busy = sorted(schedule.busy, key=lambda b: b.start)
    starts = [b.start for b in busy]
    # the longest busy interval bounds how far back an overlapping one can start
    longest = max((b.end - b.start for b in busy), default=timedelta(0))
    caller_tz = zone(caller_timezone)
    found: list[OpenSlot] = []
    for start, end in candidate_starts(schedule, earliest, latest):
        local = start.astimezone(caller_tz)
        if not preference.accepts(local) or not _callable(local, end.astimezone(caller_tz)):
            continue
        lo = bisect.bisect_left(starts, start - longest)
        hi = bisect.bisect_left(starts, end)
        if any(busy[i].overlaps(start, end) for i in range(lo, hi)):
            continue
        found.append(OpenSlot(start, end))
        if len(found) >= limit:
            break
    return found
