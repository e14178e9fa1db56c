"""The LLM's system prompt: the prompt version's sections rendered once with the call's
variables, the node's text, what is known about the caller and what is still needed."""

from __future__ import annotations

import logging
import re
from typing import Any

from contracts.calls import Node
from contracts.timezones import state_timezone
from services.dialogue import functions as fn
from services.dialogue.context import Turn
from services.dialogue.graph import GRAPH
from services.dialogue.ports import LlmConfig
from services.dialogue.speech import lines
from services.dialogue.state import CallState

log = logging.getLogger(__name__)


SECTION_ORDER = (
    "role", "personality", "context", "conversation_flow", "rules", "output_format", "safety",
    "pronunciation",
)  # fmt: skip


HISTORY_FOR_LLM = 20


_VARIABLE = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")


FALLBACK_SECTIONS = {
    "role": "You are Barbara, the AI phone assistant for Equity Connect, helping homeowners "
    "learn about reverse mortgages and book a free consultation with a licensed broker.",
    "output_format": "Speak in one or two short, plain sentences, then pause. No lists or symbols.",
    "safety": "Never give legal or tax advice, never promise amounts, never reveal stored "
    "information, and honour any request to stop calling.",
}


def llm_config(state: CallState, env: dict[str, str]) -> LlmConfig | None:
    """The call's LLM from its template, with environment overrides; ``None`` → offline."""
    settings = state.llm
    provider = settings.provider if settings else "openai"
    key = env.get("EC_LLM_API_KEY") or (
        env.get("OPENROUTER_API_KEY") if provider == "openrouter" else env.get("OPENAI_API_KEY")
    )
    policy = env.get("EC_DIALOGUE_POLICY", "").lower()
    if policy == "scripted":
        key = key or "scripted"  # the benchmark's scripted provider needs no key
    if not key or policy == "offline":
        return None
    return LlmConfig(
        model=env.get("EC_LLM_MODEL") or (settings.model if settings else "gpt-4o-mini"),
        base_url=env.get("EC_LLM_BASE_URL") or (settings.base_url if settings else None),
        api_key=key,
        temperature=settings.temperature if settings else 0.6,
        max_tokens=settings.max_tokens if settings else 180,
        fallback_model=env.get("EC_LLM_FALLBACK_MODEL")
        or (settings.fallback_model if settings else None),
    )


def variables(state: CallState, today: str) -> dict[str, str]:
    """Every prompt variable, never empty: the broker once known, a neutral phrase before."""
    f, broker = state.facts, state.broker
    zone = state_timezone(f.state) or (broker.timezone if broker else None)
    return {
        "call_type": state.call_type.value,
        "today": today,
        "lead_first_name": f.first_name or "the homeowner",
        "lead_city": f.city or "their city",
        "broker_name": (broker.name if broker else "") or "a licensed broker",
        "broker_company": (broker.company if broker else "") or "our partner brokerage",
        "broker_nmls": (broker.nmls if broker else "") or "to be shared at the consultation",
        "caller_timezone": zone or "the caller's local time",
    }


def render(text: str, values: dict[str, str]) -> str:
    return _VARIABLE.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def system_prompt(turn: Turn) -> str:
    s = turn.state
    now = turn.deps.clock.now()
    values = variables(s, now.strftime("%A, %B %d, %Y"))
    sections = s.prompt.sections or FALLBACK_SECTIONS
    parts = [render(sections[k], values) for k in SECTION_ORDER if sections.get(k)]
    node_text = s.prompt.nodes.get(GRAPH[s.node].section) or GRAPH[s.node].task
    parts.append(f"Current step ({s.node.value}): {render(node_text, values)}")
    parts.append("What we know so far: " + _known(s))
    parts.append("Still needed: " + _needed(turn) + ". " + ASK_RULE)
    if s.offered and s.node == Node.BOOK:
        offered = "; ".join(f"{o.caller_local} (slot_id {o.slot_id})" for o in s.offered)
        parts.append(f"Open times you may offer: {offered}.")
    return "\n\n".join(parts)


ASK_RULE = (
    "Ask only for what is still needed, one question at a time, and never again for anything "
    "already known; answer in one or two short sentences. Do not read ages, amounts or "
    "contact details back to the caller."
)


_GATE_WORDS = {True: "passes", False: "does not pass"}


def _gate(known: bool, passed: bool | None) -> str:
    if passed is not None:
        return _GATE_WORDS[passed]
    return "known, not yet checked" if known else "not yet"


def _known(s: CallState) -> str:
    """What the call has learned, without reading private values (ages, amounts, contact
    details) into the prompt: whether each is known, and whether each check passes."""
    f, fl = s.facts, s.flags
    name = f.first_name if f.first_name and fl.identified else "not given yet"
    items = [
        f"caller's first name: {name}",
        f"verified: {'yes' if fl.verified else 'no'}",
        f"where the home is: {'known' if (f.zip or f.state or f.city) else 'not yet'}",
        f"age: {_gate(fn.youngest_age(f) is not None, fl.gates.get('age'))}",
        f"owns the home: {_gate(f.is_homeowner is not None, fl.gates.get('homeowner'))}",
        "lives there most of the year: "
        + _gate(f.primary_residence is not None, fl.gates.get("primary_residence")),
        f"home value: {'known' if f.home_value is not None else 'not yet'}",
        f"mortgage balance: {'known' if f.mortgage_balance is not None else 'not yet'}",
        f"equity check: {_gate(False, fl.gates.get('equity'))}",
        f"email: {'known' if f.email else 'not given'}",
    ]
    if fl.qualified is False:
        reason = (fl.disqualification_reason or "a check").replace("_", " ")
        items.append(f"qualified: no ({reason})")
    else:
        items.append(f"qualified: {'yes' if fl.qualified else 'not yet'}")
    if s.broker is not None:
        items.append(f"their broker: {s.broker.name}")
    if s.preference_days or s.preference_part:
        days = ", ".join(s.preference_days) or "any day"
        items.append(f"preferred time: {days}, {s.preference_part or 'any time of day'}")
    if fl.booked and s.appointment:
        items.append(f"booked for {s.appointment.caller_local}")
    if fl.callback:
        items.append("a call back is scheduled")
    if fl.objection:
        items.append(f"open concern: {fl.objection}")
    if s.returning and fl.verified and s.memory.get("money_purpose"):
        items.append(f"last time they wanted to {s.memory['money_purpose']}")
    return "; ".join(items) + "."


_GATE_ASKS = {
    "age": "their age, and the other owner's if there is one (the younger must be sixty-two or "
    "older)",
    "homeowner": "whether they own the home",
    "primary_residence": "whether the home is where they live most of the year",
}


def _needed(turn: Turn) -> str:
    """The one thing to ask for next, from the node and what is still missing."""
    s, f, fl = turn.state, turn.state.facts, turn.state.flags
    if s.node == Node.EXIT:
        return "nothing; recap any next step in one sentence, thank them and say goodbye"
    if s.node == Node.WRONG_PERSON:
        return ("nothing about the homeowner may be shared; ask when the homeowner can be "
                "reached, or offer a call back")  # fmt: skip
    if not fl.identified:
        return "the caller's first name"
    if not fl.verified:
        if s.lead_found and fl.verify_needs and not fl.verify_declined:
            return (
                "one more thing to confirm who they are — "
                + lines.identity_wanted(fl.verify_needs)
                + " — asked kindly, at most twice; share nothing on file until then"
            )
        if fl.verify_declined:
            return (
                "nothing more about who they are (they would rather not say); share nothing "
                "on file, answer their questions, and offer a call back from the team"
            )
        if s.lead_found:
            return "the ZIP code of the home, to confirm we have the right file"
        return "where the home is (the city and state, or the ZIP code)"
    if fl.wants_callback and not fl.ready_to_book:
        return "a day and time for the call back"
    if s.node == Node.QUALIFY:
        gate = fn.next_gate(turn)
        if gate == "equity":
            return ("roughly what the home is worth" if f.home_value is None
                    else "roughly how much is still owed on the home")  # fmt: skip
        return _GATE_ASKS.get(gate or "", "nothing for the checks; ask if they have questions")
    if s.node == Node.BOOK:
        if s.offered:
            return "which of the two open times they prefer"
        if s.broker is None and not (f.zip or f.state):
            return "the ZIP code of the home, to find their broker"
        if not (s.preference_days or s.preference_part):
            return "which days, and morning or afternoon, suit them for the consultation"
        return "nothing to ask: call get_availability with their preference, then offer two times"
    if (
        fl.qualified
        and not (fl.booked or fl.booking_declined or fl.no_sales or fl.existing_appointment)
        and not fl.callback
    ):
        return "whether they would like a free consultation with the broker"
    return "nothing; answer their questions, then ask if there is anything else"


def history_messages(state: CallState) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in state.history[-HISTORY_FOR_LLM:]:
        text = item.text or ("(silence)" if item.role == "caller" else "")
        if not text:
            continue
        out.append({"role": "user" if item.role == "caller" else "assistant", "content": text})
    return out
