"""Domain rules that more than one service applies live once, in ``contracts``, and every
service gives the same answer: a phone number's E.164 form, a state's timezone."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest

from contracts.phone import e164_or_none, to_e164
from contracts.timezones import STATE_TIMEZONES, state_timezone
from contracts.tools import ToolSession
from services.agent_gateway import cli as call_cli
from services.agent_gateway import metadata
from services.dialogue import functions
from services.dialogue.context import Turn
from services.dialogue.language.vocabulary import STATES as SPOKEN_STATES
from services.dialogue.policy import llm as llm_policy
from services.dialogue.state import CallState, Facts
from services.tools import auth
from services.tools.domain import timezones as tools_zones
from services.tools.errors import ToolFailure

# ---- timezones -----------------------------------------------------------------------------

STATES = (
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ "
    "NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY"
).split()
TERRITORIES = ["DC", "PR", "GU", "VI", "AS", "MP"]
#: the states and territories the services used to disagree on (or only one of them knew)
DISPUTED = {
    "ID": "America/Boise",  # most Idahoans are Mountain (Boise), not Pacific (the panhandle)
    "MI": "America/Detroit",
    "IN": "America/Indiana/Indianapolis",
    "PR": "America/Puerto_Rico",
    "GU": "Pacific/Guam",
    "VI": "America/St_Thomas",
    "AS": "Pacific/Pago_Pago",
    "MP": "Pacific/Saipan",
}


def test_one_zone_for_every_state_dc_and_territory() -> None:
    assert len(STATES) == 50
    assert set(STATE_TIMEZONES) == {*STATES, *TERRITORIES}
    assert all(tools_zones.is_zone(z) for z in STATE_TIMEZONES.values())
    assert {s: STATE_TIMEZONES[s] for s in DISPUTED} == DISPUTED
    assert state_timezone(" id ") == "America/Boise" and state_timezone("ZZ") is None
    assert state_timezone(None) is None


def _dialogue_zone(state: str) -> str | None:
    """The zone the dialogue sends to tools (the session) and uses itself."""
    call = CallState(call_id="call_zone1", facts=Facts(state=state))
    turn = Turn(deps=None, state=call, reply=SimpleNamespace(), turn_id="t1")  # type: ignore[arg-type]
    sent = turn.session().caller_timezone
    assert llm_policy.variables(call, "today")["caller_timezone"] == sent
    assert functions.caller_zone(turn).key == sent
    return sent


@pytest.mark.parametrize("state", sorted(STATE_TIMEZONES))
def test_dialogue_and_tools_give_the_same_zone(state: str) -> None:
    zone = STATE_TIMEZONES[state]
    assert _dialogue_zone(state) == zone
    assert tools_zones.state_zone(state) == zone
    assert tools_zones.caller_zone(None, state, "America/New_York") == zone


def test_tools_can_say_every_zone_in_the_table() -> None:
    words = {tools_zones.zone_word(z) for z in STATE_TIMEZONES.values()}
    assert words == {"Eastern", "Central", "Mountain", "Arizona", "Pacific", "Alaska", "Hawaii",
                     "Atlantic", "Chamorro", "Samoa"}  # fmt: skip


def test_every_state_the_dialogue_hears_has_a_zone() -> None:
    assert set(SPOKEN_STATES.values()) <= set(STATE_TIMEZONES)


# ---- phone numbers -------------------------------------------------------------------------

NUMBERS = {
    "(206) 555-0231": "+12065550231",
    "206.555.0231": "+12065550231",
    "1-206-555-0231": "+12065550231",
    " +1 206 555 0231 ": "+12065550231",
    "+44 20 7946 0958": "+442079460958",
    "0044 20 7946 0958": "+442079460958",  # the gateway used to drop this one
}
REFUSED = [
    "555-0231",
    "hello",
    "+1 106 555 0231",  # the gateway used to accept a North American area code 0/1…
    "+1 206 555 023",  # …and a +1 number of the wrong length
    "+0 206 555 0231",  # …and a country code 0, which no E.164 contract accepts
    "123456789012345678",
]


def _gateway(raw: str) -> str | None:
    return metadata.parse(job_metadata=json.dumps({"caller_number": raw})).caller_number


def _call_cli(raw: str, monkeypatch: pytest.MonkeyPatch) -> str | None:
    """``equity-connect call --from RAW --to RAW``, up to the point the call would be placed."""
    assert call_cli.to_e164 is to_e164
    placed: list[Any] = []

    async def place(*args: Any) -> int:  # (…, caller, dialled): nothing is dialled
        placed.append(args[-2:])
        return 0

    monkeypatch.setenv("NATS_URL", "nats://127.0.0.1:9")
    monkeypatch.setattr(call_cli, "_call", place)
    code = call_cli.main(["call", "--from", raw, "--to", raw])
    if code != 0:
        assert code == 2 and not placed
        return None
    [(caller, dialled)] = placed
    assert dialled == caller
    return caller


def _tools(raw: str) -> str | None:
    try:
        return auth.caller_phone(ToolSession(call_id="call_phone1", caller_number=raw))
    except ToolFailure:
        return None


@pytest.mark.parametrize("raw", [*NUMBERS, *REFUSED])
def test_a_number_means_the_same_wherever_it_enters(
    raw: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = NUMBERS.get(raw)
    assert e164_or_none(raw) == expected
    if expected is None:
        with pytest.raises(ValueError):
            to_e164(raw)
    assert _gateway(raw) == expected
    assert _call_cli(raw, monkeypatch) == expected
    assert _tools(raw) == expected
