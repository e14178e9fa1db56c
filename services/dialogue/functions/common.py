"""What the functions share: results, where the home is, the caller's time zone."""

from __future__ import annotations

import logging
from typing import Annotated
from zoneinfo import ZoneInfo

import msgspec

from contracts.area_codes import area_state
from contracts.timezones import state_timezone
from contracts.tools import (
    ToolError,
)
from contracts.zip_codes import zip_state
from services.dialogue.context import Turn
from services.dialogue.functions.registry import Result

log = logging.getLogger(__name__)

GATE_NAMES = ("age", "homeowner", "primary_residence", "equity")

#: a five-digit US ZIP code
ZipCode = Annotated[str, msgspec.Meta(pattern="^[0-9]{5}$")]
#: a two-letter US state code
StateCode = Annotated[str, msgspec.Meta(pattern="^[A-Z]{2}$")]


def fail(result: ToolError) -> Result:
    return {"ok": False, "error": result.code.value, "say": result.message}


def append_unique(items: list[str], value: str | None) -> None:
    if value and value not in items:
        items.append(value)


def location_facts(turn: Turn, city: str | None, state: str | None, zip: str | None) -> None:
    f = turn.state.facts
    if city:
        f.city = city.strip().title()[:80]
    if state and len(state.strip()) == 2:
        f.state = state.strip().upper()
    if zip and len(zip) == 5 and zip.isdigit():
        f.zip = zip
        said_state = state.strip().upper() if state else None
        if not said_state or said_state != zip_state(zip):
            f.state = zip_state(zip) or f.state  # the ZIP knows its state


def area_state_of(turn: Turn) -> str | None:
    """The state of the caller's area code, for a new caller who has not said where the home
    is (a known lead's broker comes from the record)."""
    s = turn.state
    return None if s.lead_found else area_state(s.caller_number)


def caller_zone(turn: Turn) -> ZoneInfo:
    s = turn.state
    name = (
        state_timezone(s.facts.state)
        or state_timezone(area_state_of(turn))
        or (s.broker.timezone if s.broker else None)
    )
    try:
        return ZoneInfo(name or "America/New_York")
    except Exception:
        return ZoneInfo("America/New_York")
