"""Timezones: a caller's zone from their state, and times said the way a caller says them."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from contracts.timezones import state_timezone

#: What a caller calls each zone.
_ZONE_WORDS: dict[str, str] = {
    "America/New_York": "Eastern", "America/Detroit": "Eastern",
    "America/Indiana/Indianapolis": "Eastern", "America/Kentucky/Louisville": "Eastern",
    "America/Chicago": "Central", "America/Denver": "Mountain", "America/Boise": "Mountain",
    "America/Phoenix": "Arizona", "America/Los_Angeles": "Pacific",
    "America/Anchorage": "Alaska", "Pacific/Honolulu": "Hawaii",
    "America/Puerto_Rico": "Atlantic", "America/St_Thomas": "Atlantic",
    "Pacific/Guam": "Chamorro", "Pacific/Saipan": "Chamorro", "Pacific/Pago_Pago": "Samoa",
}  # fmt: skip


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    """The zone named ``name``; ``ValueError`` for anything that is not an IANA zone."""
    if not name or name.startswith(("/", ".")) or ".." in name:
        raise ValueError("not a timezone")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise ValueError("not a timezone") from err


def is_zone(name: str | None) -> bool:
    if not name:
        return False
    try:
        zone(name)
    except ValueError:
        return False
    return True


def state_zone(state: str | None) -> str | None:
    """The zone of a lead's state, from the one table in ``contracts.timezones``."""
    return state_timezone(state)


def caller_zone(session_zone: str | None, state: str | None, fallback: str) -> str:
    """The caller's zone: what the dialogue knows, else the lead's state, else ``fallback``."""
    if is_zone(session_zone):
        return str(session_zone)
    return state_zone(state) or fallback


def zone_word(name: str, at: datetime | None = None) -> str:
    word = _ZONE_WORDS.get(name)
    if word:
        return word
    local = (at or datetime.now(zone(name))).astimezone(zone(name))
    return local.tzname() or name


def say_time(at: datetime, tz: str) -> str:
    """``Wednesday, December 2 at 1:30 PM Eastern`` (``10 AM`` on the hour)."""
    local = at.astimezone(zone(tz))
    hour = local.hour % 12 or 12
    clock = f"{hour}:{local.minute:02d}" if local.minute else f"{hour}"
    meridiem = "AM" if local.hour < 12 else "PM"
    return f"{local:%A}, {local:%B} {local.day} at {clock} {meridiem} {zone_word(tz, at)}"
