"""Timezones: a caller's zone from their state, and times said the way a caller says them."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

#: The zone most of each state's people live in (a few states span two zones).
STATE_TIMEZONES: dict[str, str] = {
    "AL": "America/Chicago", "AK": "America/Anchorage", "AZ": "America/Phoenix",
    "AR": "America/Chicago", "CA": "America/Los_Angeles", "CO": "America/Denver",
    "CT": "America/New_York", "DE": "America/New_York", "DC": "America/New_York",
    "FL": "America/New_York", "GA": "America/New_York", "HI": "Pacific/Honolulu",
    "ID": "America/Boise", "IL": "America/Chicago", "IN": "America/Indiana/Indianapolis",
    "IA": "America/Chicago", "KS": "America/Chicago", "KY": "America/New_York",
    "LA": "America/Chicago", "ME": "America/New_York", "MD": "America/New_York",
    "MA": "America/New_York", "MI": "America/Detroit", "MN": "America/Chicago",
    "MS": "America/Chicago", "MO": "America/Chicago", "MT": "America/Denver",
    "NE": "America/Chicago", "NV": "America/Los_Angeles", "NH": "America/New_York",
    "NJ": "America/New_York", "NM": "America/Denver", "NY": "America/New_York",
    "NC": "America/New_York", "ND": "America/Chicago", "OH": "America/New_York",
    "OK": "America/Chicago", "OR": "America/Los_Angeles", "PA": "America/New_York",
    "RI": "America/New_York", "SC": "America/New_York", "SD": "America/Chicago",
    "TN": "America/Chicago", "TX": "America/Chicago", "UT": "America/Denver",
    "VT": "America/New_York", "VA": "America/New_York", "WA": "America/Los_Angeles",
    "WV": "America/New_York", "WI": "America/Chicago", "WY": "America/Denver",
    "PR": "America/Puerto_Rico", "GU": "Pacific/Guam", "VI": "America/St_Thomas",
}  # fmt: skip

#: What a caller calls each zone.
_ZONE_WORDS: dict[str, str] = {
    "America/New_York": "Eastern", "America/Detroit": "Eastern",
    "America/Indiana/Indianapolis": "Eastern", "America/Kentucky/Louisville": "Eastern",
    "America/Chicago": "Central", "America/Denver": "Mountain", "America/Boise": "Mountain",
    "America/Phoenix": "Arizona", "America/Los_Angeles": "Pacific",
    "America/Anchorage": "Alaska", "Pacific/Honolulu": "Hawaii",
    "America/Puerto_Rico": "Atlantic", "America/St_Thomas": "Atlantic",
    "Pacific/Guam": "Chamorro",
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
    return STATE_TIMEZONES.get((state or "").strip().upper())


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
