"""The deterministic evaluator, ``deterministic-v1``: six 0–10 scores, strengths, weaknesses and
red flags from the call's events alone (transcript, nodes visited, flags, tools, outcome).

It is what runs without an LLM, and what an LLM answer that fails validation falls back to.
Rules, not judgement: each score says whether a step happened, not how well it was done.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from contracts.calls import Scores
from services.persistence.analysis.record import CallRecord

DETERMINISTIC = "deterministic-v1"
#: a call in which the caller said nothing: no evaluation to make, no LLM spent on it; named so
#: comparisons of prompt versions by their scores leave it out
SKIPPED = "skipped-no-conversation"

PROPERTY_FACTS = frozenset({"age", "home_value", "property_value", "mortgage_balance",
                            "owns_home", "homeowner", "primary_residence", "property_zip",
                            "zip", "city", "state", "money_purpose", "timeline"})  # fmt: skip
BOOKING_OUTCOMES = {"booked": 10, "callback_scheduled": 7, "email_requested": 6}
# outcomes after which not offering a booking was right
NO_BOOKING_NEEDED = {"not_qualified", "do_not_call", "wrong_person", "transferred", "no_response"}
RISKY_WORDS = ("guarantee", "guaranteed", "tax advice", "legal advice")


@dataclass(frozen=True)
class Evaluation:
    evaluator: str
    scores: Scores
    summary: str
    strengths: list[str] = field(default_factory=list)
    weaknesses: list[str] = field(default_factory=list)
    red_flags: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    llm_tokens: int = 0


def _clamp(value: float) -> int:
    return max(0, min(10, round(value)))


def skipped(call: CallRecord) -> Evaluation | None:
    """The evaluation of a call with no conversation (the caller never said a word: hung up
    during the greeting, a lost gateway, silence); None for any call worth evaluating."""
    if any(speaker == "caller" and text.strip() for speaker, text in call.lines):
        return None
    zero = Scores(opening=0, property_discussion=0, objection_handling=0, booking_attempt=0,
                  tone=0, overall_flow=0)  # fmt: skip
    return Evaluation(evaluator=SKIPPED, scores=zero,
                      summary="No conversation: the caller said nothing before the call ended.",
                      facts=dict(call.facts))  # fmt: skip


def evaluate(call: CallRecord) -> Evaluation:
    strengths: list[str] = []
    weaknesses: list[str] = []
    red_flags: list[str] = []
    agent = [text for speaker, text in call.lines if speaker == "agent"]
    caller = [text for speaker, text in call.lines if speaker == "caller"]
    tools = {name for name, _ in call.tools}
    failed = sum(1 for _, bad in call.tools if bad)
    visits = {node: call.nodes.count(node) for node in set(call.nodes)}

    # opening: Barbara speaks first and discloses AI and recording
    opening = 0
    if agent:
        first = agent[0].lower()
        opening = 6 if call.lines[0][0] == "agent" else 3
        if "ai" in first.split() or "assistant" in first or "record" in first:
            opening += 4
            strengths.append("opened with the AI / recording disclosure")
        else:
            weaknesses.append("no AI or recording disclosure in the first reply")
    else:
        red_flags.append("the agent never spoke")

    # property discussion: facts gathered about the home and the borrower
    known = PROPERTY_FACTS & {k for k, v in call.facts.items() if v not in (None, "")}
    asked = "qualify" in visits or bool({"record_qualification", "update_lead"} & tools)
    property_discussion = _clamp(2 * len(known) + (3 if asked else 0))
    if property_discussion >= 7:
        strengths.append(f"gathered {len(known)} property facts")
    elif call.outcome not in NO_BOOKING_NEEDED:
        weaknesses.append("few property facts gathered")

    # objection handling: raised objections answered (knowledge base), caller kept on the line
    raised = "objections" in visits or bool(call.flags.get("objections"))
    if raised:
        objection_handling = 6 + (2 if "search_knowledge" in tools else 0)
        objection_handling += 2 if call.outcome not in ("not_interested", "caller_hung_up") else 0
        if objection_handling >= 8:
            strengths.append("answered the caller's objections")
    else:
        objection_handling = 7  # none raised: neither credit nor blame

    # booking attempt
    if call.outcome in BOOKING_OUTCOMES:
        booking_attempt = BOOKING_OUTCOMES[call.outcome]
        strengths.append(f"ended with {call.outcome}")
    elif "book" in visits or {"get_availability", "book_appointment"} & tools:
        booking_attempt = 5
        weaknesses.append("offered a booking that did not happen")
    elif call.outcome in NO_BOOKING_NEEDED:
        booking_attempt = 5
    else:
        booking_attempt = 2
        weaknesses.append("no booking attempted")

    # tone: short, uninterrupted replies; no promises
    words = [len(text.split()) for text in agent]
    tone = 9.0
    if words and sum(words) / len(words) > 40:
        tone -= 3
        weaknesses.append("long replies")
    risky = [w for w in RISKY_WORDS if any(w in text.lower() for text in agent)]
    if risky:
        tone -= 4
        red_flags.append(f"said {risky[0]!r}")

    # overall flow: no loops, no failed tools, a clean end
    flow = 9.0 - 2 * failed - sum(max(0, n - 2) for n in visits.values())
    if failed:
        weaknesses.append(f"{failed} tool call(s) failed")
    if failed >= 2:
        red_flags.append("two or more failed tool attempts")
    if call.outcome == "error" or call.end_reason in ("error", "timeout"):
        flow -= 4
        red_flags.append(f"call ended with {call.end_reason or call.outcome}")
    if call.outcome == "caller_hung_up":
        flow -= 2
    if not caller:
        flow -= 3

    facts = {
        **call.facts,
        "outcome": call.outcome,
        "end_reason": call.end_reason,
        "duration_s": round(call.duration_ms / 1000, 1),
        "agent_turns": len(agent),
        "caller_turns": len(caller),
        "appointment_booked": call.outcome == "booked",
        "callback_requested": call.outcome == "callback_scheduled",
        "opt_out_requested": call.outcome == "do_not_call",
        "nodes_visited": sorted(visits),
        "tools_used": sorted(tools),
    }
    summary = call.summary or (
        f"{call.outcome or 'no outcome'} after {len(caller)} caller turn(s)"
        f" in {facts['duration_s']} s"
    )
    scores = Scores(
        opening=_clamp(opening),
        property_discussion=property_discussion,
        objection_handling=_clamp(objection_handling),
        booking_attempt=booking_attempt,
        tone=_clamp(tone),
        overall_flow=_clamp(flow),
    )
    return Evaluation(DETERMINISTIC, scores, summary, strengths, weaknesses, red_flags, facts)
