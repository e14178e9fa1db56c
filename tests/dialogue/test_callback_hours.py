"""A call back the caller asks for lands inside calling hours (8 AM to 9 PM their time, which
the tools enforce): "call me back in an hour" at 8:30 in the evening is tomorrow at 9 AM, not a
refused request and a caller left without a call back. The clock is fixed, so these hold at
any hour the suite runs."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

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
