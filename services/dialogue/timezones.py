"""A caller's timezone from the state of their home (the main zone of each US state)."""

from __future__ import annotations

_ZONES = {
    "America/New_York": "CT DE DC FL GA IN KY ME MD MA MI NH NJ NY NC OH PA RI SC VT VA WV",
    "America/Chicago": "AL AR IL IA KS LA MN MS MO NE ND OK SD TN TX WI",
    "America/Denver": "CO ID MT NM UT WY",
    "America/Phoenix": "AZ",
    "America/Los_Angeles": "CA NV OR WA",
    "America/Anchorage": "AK",
    "Pacific/Honolulu": "HI",
}
STATE_TIMEZONE = {state: zone for zone, states in _ZONES.items() for state in states.split()}


def timezone_for_state(state: str | None) -> str | None:
    return STATE_TIMEZONE.get((state or "").upper())
