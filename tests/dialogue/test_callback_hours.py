"""A call back the caller asks for lands inside calling hours (8 AM to 9 PM their time, which
the tools enforce): "call me back in an hour" at 8:30 in the evening is tomorrow at 9 AM, not a
refused request and a caller left without a call back. The clock is fixed, so these hold at
any hour the suite runs."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from contracts.tools import PartOfDay
from services.dialogue.language.heard import CallbackWhen
from services.dialogue.policy.offline.booking import resolve_when

CENTRAL = ZoneInfo("America/Chicago")


def at(hour: int, minute: int = 0, day: int = 1) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=CENTRAL)


@pytest.mark.parametrize(
    ("now", "when", "expected"),
    [
        (at(14), CallbackWhen(in_minutes=60), at(15)),
        (at(20, 30), CallbackWhen(in_minutes=60), at(9, day=2)),  # past 9 PM: tomorrow 9 AM
        (at(5), CallbackWhen(in_minutes=60), at(9)),  # before 8 AM: this morning at 9
        (at(14), CallbackWhen(in_days=1, hour=22), at(9, day=3)),  # "tomorrow at ten" at night
        (at(14), CallbackWhen(in_days=1, hour=15), at(15, day=2)),
    ],
    ids=["afternoon", "evening", "early-morning", "late-hour-asked", "tomorrow-at-three"],
)
def test_a_call_back_falls_inside_calling_hours(
    now: datetime, when: CallbackWhen, expected: datetime
) -> None:
    got = resolve_when(when, now.astimezone(UTC), CENTRAL)
    assert got == expected, got
    assert 8 <= got.hour < 21


@pytest.mark.parametrize(
    ("now", "when", "expected"),
    [
        (at(9, 54), CallbackWhen(part_of_day=PartOfDay.MORNING), at(10, day=2)),
        (at(9, 30), CallbackWhen(part_of_day=PartOfDay.MORNING), at(10)),
        (at(13, 50), CallbackWhen(hour=14), at(14, day=2)),
    ],
    ids=["morning-too-soon", "morning-still-ahead", "hour-too-soon"],
)
def test_a_time_of_day_too_soon_to_arrange_is_the_next_day(
    now: datetime, when: CallbackWhen, expected: datetime
) -> None:
    """ "In the morning is best" said at 9:54: ten o'clock today is too soon for the tools
    (they need notice), so it is tomorrow morning rather than a refused call back."""
    assert resolve_when(when, now.astimezone(UTC), CENTRAL) == expected
