"""The US state → IANA timezone table, once, for every service (dialogue and tools).

One zone per state or territory: the zone most of its people live in (a few states span two
zones: Idaho's south, with Boise, is Mountain; most of Michigan and Indiana are Eastern, with
their own zone histories). Keys are USPS codes: the 50 states, DC, and the territories PR, GU,
VI, AS and MP. How a service says a zone, or hears a state's name, stays in that service.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

_ZONES = {
    "America/New_York": "CT DE DC FL GA KY ME MD MA NH NJ NY NC OH PA RI SC VT VA WV",
    "America/Detroit": "MI",
    "America/Indiana/Indianapolis": "IN",
    "America/Chicago": "AL AR IL IA KS LA MN MS MO NE ND OK SD TN TX WI",
    "America/Denver": "CO MT NM UT WY",
    "America/Boise": "ID",
    "America/Phoenix": "AZ",
    "America/Los_Angeles": "CA NV OR WA",
    "America/Anchorage": "AK",
    "Pacific/Honolulu": "HI",
    "America/Puerto_Rico": "PR",
    "America/St_Thomas": "VI",
    "Pacific/Guam": "GU",
    "Pacific/Saipan": "MP",
    "Pacific/Pago_Pago": "AS",
}

#: USPS state or territory code → IANA zone name (read-only).
STATE_TIMEZONES: Mapping[str, str] = MappingProxyType(
    {state: zone for zone, states in _ZONES.items() for state in states.split()}
)


def state_timezone(state: str | None) -> str | None:
    """The zone of a USPS code (``"id"``, ``" MI "`` too); ``None`` for an unknown code."""
    return STATE_TIMEZONES.get((state or "").strip().upper())
