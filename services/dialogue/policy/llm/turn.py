"""The LLM path: code understands first, the model words the reply.

A turn: the caller's words are read by the same extractor as the offline policy, every fact is
recorded through the same functions (:func:`absorb`) and the graph moves — before the model is
asked anything, so what the caller said is recorded whatever the model does. Then the system
prompt (the active prompt version's sections, the current node's text, what is known and what
is still needed) and the node's functions go to the model: it words the reply, answers from the
knowledge base and handles what the rules cannot; its function calls add to the facts (before
verification they are held, and recorded once the caller is verified). Every sentence it
streams is checked before it is spoken (:mod:`services.dialogue.speech.guard`).

Timing: an attempt must show a first delta (text or a tool call) within the first-token
timeout; all attempts of a turn share the turn budget; a failed attempt is retried on the
fallback model first, then the model again. When no attempt produced a word the offline policy
takes the turn.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from typing import Any

from contracts.calls import Node
from contracts.conversation import EndCall
from contracts.observability.metrics import LLM_FAILED_ATTEMPTS
from services.dialogue import functions as fn
from services.dialogue.absorb import absorb, carries_facts
from services.dialogue.context import Turn
from services.dialogue.functions import call_function, clean_args, tool_specs
from services.dialogue.graph import GRAPH, move, route, terminal
from services.dialogue.language import meaning
from services.dialogue.language.extract import understand
from services.dialogue.language.heard import Expect, Heard, Intent
from services.dialogue.language.meaning.weigh import needs_reading, weigh
from services.dialogue.policy.llm.prompt import history_messages, system_prompt
from services.dialogue.policy.offline import speak
from services.dialogue.ports import (
    LlmConfig,
    LlmEvent,
    LlmRequest,
    LlmUnavailable,
    TextDelta,
    ToolCall,
    Usage,
)
from services.dialogue.speech.guard import SpokenGuard
from services.dialogue.state import CallState

log = logging.getLogger(__name__)


MAX_SENTENCES = 3


def attempt_models(config: LlmConfig) -> list[str]:
    """A failed attempt is retried on the fallback model first, then the model again."""
    fallback = config.fallback_model
    if fallback and fallback != config.model:
        return [config.model, fallback, config.model]
    return [config.model, config.model]


async def llm_turn(turn: Turn, config: LlmConfig) -> None:
    """Record what the caller said, then answer with the LLM. Raises LlmUnavailable when no
    attempt produced a word (the caller then gets the offline policy)."""
    await take_facts(turn)
    guard = SpokenGuard(caller_words(turn.state))
    turn.reply.guard = guard.check
    try:
        await _attempts(turn, config)
    finally:
        turn.reply.guard = None
        if guard.replaced or guard.dropped:
            log.warning("call %s: %d sentence(s) replaced, %d dropped before speaking",
                        turn.state.call_id, guard.replaced, guard.dropped)  # fmt: skip


async def take_facts(turn: Turn) -> Heard:
    """The offline policy's understanding, on the LLM path: every fact in the caller's words is
    recorded by code through the functions, and the graph moves, before the model speaks."""
    s = turn.state
    heard = understand(turn.text, s.expect, this_year=turn.deps.clock.now().year)
    # the learned reading too (what the caller meant in words the rules never saw); what to
    # do about it the model decides, within the node's functions
    facts = carries_facts(heard)
    reader = turn.deps.meaning if needs_reading(heard, facts) else None
    weigh(heard, await meaning.read(reader, turn.text), s.expect, facts=facts,
          homeowner_speaking=s.node != Node.WRONG_PERSON)  # fmt: skip
    turn.noted = await absorb(turn, heard)
    move(s, route(s))
    return heard


def caller_words(state: CallState) -> list[str]:
    """What the caller said in this call (their own details may be said back to them)."""
    said = [h.text for h in state.history if h.role == "caller" and h.text]
    return [*said, state.facts.email or ""]


async def _attempts(turn: Turn, config: LlmConfig) -> None:
    models = attempt_models(config)
    last: LlmUnavailable | None = None
    clock, tuning = turn.deps.clock, turn.deps.tuning
    deadline = clock.monotonic() + tuning.llm_turn_budget
    for attempt, model in enumerate(models):
        left = deadline - clock.monotonic()
        if left <= 0.2:
            break  # the caller has waited long enough: the offline policy answers
        try:
            spoke = await _converse(turn, config, model, min(tuning.llm_first_token_timeout, left))
            _after_reply(turn, spoke)
            _decide_action(turn)
            return
        except LlmUnavailable as err:
            last = err
            LLM_FAILED_ATTEMPTS.labels(model).inc()
            log.warning("llm %s failed (attempt %d): %s", model, attempt + 1, err)
            if turn.reply.sentences or turn.cancelled:
                _after_reply(turn, bool(turn.reply.sentences))
                _decide_action(turn)
                return  # words are out already: finish the reply as it stands
            if attempt + 1 < len(models) and models[attempt + 1] == model:
                await asyncio.sleep(tuning.llm_retry_delay * (attempt + 1))
    raise last or LlmUnavailable("no model")


#: the model's function calls that need a verified caller: before that, what they carry is
#: held in the call's facts and recorded once the caller is verified
HELD_UNTIL_VERIFIED = ("record_qualification", "update_lead")


async def run_function(
    turn: Turn, name: str, args: dict[str, Any], allowed: set[str]
) -> dict[str, Any]:
    s = turn.state
    if name in HELD_UNTIL_VERIFIED and name in allowed and not (s.flags.verified and s.lead_id):
        return await _hold(turn, name, args)
    return await call_function(turn, name, args, allowed)


async def _hold(turn: Turn, name: str, args: dict[str, Any]) -> dict[str, Any]:
    clean = clean_args(name, args)
    turn.calls.append((name, clean))
    if name == "record_qualification":
        fn.hold_qualification(turn, **clean)
    else:
        place = {k: clean.pop(k) for k in ("city", "state", "zip") if k in clean}
        fn.hold_lead_facts(turn, **clean)
        if place:
            await fn.verify_caller(turn, **place)  # where the home is: it may verify them
    return {"ok": True, "noted": True, "recorded": "once the caller is verified",
            "verified": turn.state.flags.verified}  # fmt: skip


async def _settle(turn: Turn, was_verified: bool) -> None:
    """The model's functions just verified the caller: record what was held for them."""
    s = turn.state
    if was_verified or not s.flags.verified or not s.lead_id:
        return
    if fn.holds_gate_facts(turn):
        await fn.record_qualification(turn)
    f = s.facts
    if s.lead_found and (f.email or f.money_purpose or f.timeline):
        await fn.update_lead(turn)


async def _converse(turn: Turn, config: LlmConfig, model: str, first_token: float) -> bool:
    """One attempt: up to ``max_tool_rounds`` rounds of functions, then the words. Returns
    whether the model's own words were spoken (else the node's question was)."""
    messages: list[dict[str, Any]] = [{"role": "system", "content": system_prompt(turn)}]
    messages += history_messages(turn.state)
    rounds = turn.deps.tuning.max_tool_rounds
    for round_no in range(rounds + 1):
        spec = GRAPH[turn.state.node]
        allowed = set(spec.function_names)
        tools = tool_specs(sorted(allowed)) if round_no < rounds else []
        request = LlmRequest(config=config, model=model, messages=messages, tools=tools)
        text, calls = await _stream(turn, request, first_token)
        if turn.cancelled or not calls:
            break
        messages.append(
            {
                "role": "assistant",
                "content": text or None,
                "tool_calls": [
                    {"id": c.id, "type": "function",
                     "function": {"name": c.name, "arguments": c.arguments or "{}"}}
                    for c in calls
                ],
            }
        )  # fmt: skip
        was_verified = turn.state.flags.verified
        for call in calls:
            try:
                args = json.loads(call.arguments or "{}")
            except json.JSONDecodeError:
                args = {}
            result = await run_function(
                turn, call.name, args if isinstance(args, dict) else {}, allowed
            )
            messages.append(
                {"role": "tool", "tool_call_id": call.id, "content": json.dumps(result)}
            )
        await _settle(turn, was_verified)
        move(turn.state, route(turn.state))
        if turn.cancelled:
            break
        messages[0] = {"role": "system", "content": system_prompt(turn)}
    await turn.reply.flush()
    if turn.reply.sentences or turn.cancelled:
        return bool(turn.reply.sentences)
    # the model only called tools (or every sentence was held back): what code understood,
    # and the node's own question
    await speak(turn, turn.noted)
    return False


async def _stream(turn: Turn, request: LlmRequest, timeout: float) -> tuple[str, list[ToolCall]]:
    """One model call: speak sentences as they complete, collect tool calls. The first delta of
    any kind (text, or the progress of a tool call) must come within ``timeout``; after that
    the stream runs to its end. Stops at once when the caller barges in."""
    assert turn.deps.llm is not None
    text: list[str] = []
    calls: list[ToolCall] = []

    async def consume() -> None:
        events = turn.deps.llm.stream(request).__aiter__()  # type: ignore[union-attr]
        try:
            first = await asyncio.wait_for(events.__anext__(), timeout)
        except StopAsyncIteration:
            return
        except TimeoutError as err:
            raise LlmUnavailable("no first token in time") from err
        event: LlmEvent | None = first
        while event is not None:
            if isinstance(event, TextDelta):
                if event.text:  # an empty delta is progress only (a tool call under way)
                    text.append(event.text)
                    if turn.reply.sentences < MAX_SENTENCES:
                        await turn.reply.feed(event.text)
            elif isinstance(event, Usage):  # the call's cost (persistence)
                turn.state.llm_tokens += event.prompt_tokens + event.completion_tokens
            else:
                calls.append(event)
            try:
                event = await events.__anext__()
            except StopAsyncIteration:
                event = None

    task = asyncio.ensure_future(consume())
    stop = asyncio.ensure_future(turn.cancel.wait())
    try:
        await asyncio.wait({task, stop}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stop.cancel()
    if not task.done():
        task.cancel()  # barge-in: the generation stops here
        try:
            await task
        except (asyncio.CancelledError, Exception):
            pass
        return "".join(text), []
    task.result()  # re-raise LlmUnavailable
    return "".join(text), calls


#: what the model's question asks for, so a bare answer next turn ("seventy-one", "yes") is
#: understood the way the offline policy would understand it; first match wins
_ASKED: tuple[tuple[Expect, re.Pattern[str]], ...] = (
    (Expect.CALLBACK_TIME, re.compile(r"call (?:you )?back|callback|best time to (?:call|reach)")),
    (Expect.ZIP, re.compile(r"\bzip\b")),
    (Expect.EMAIL, re.compile(r"\be-?mail\b")),
    (Expect.AGE, re.compile(r"how old|\bage\b|sixty-two or older|62 or older|\bborn\b")),
    (Expect.BALANCE, re.compile(r"\bowe|\bowed|balance|left on|still have a mortgage|"
                                r"pay(?:ing)? off")),
    (Expect.VALUE, re.compile(r"\bworth\b|\bvalue\b|sell for")),
    (Expect.PRIMARY, re.compile(r"live (?:there|in (?:it|the home|the house))|primary|"
                                r"most of the year|full[- ]time|main home")),
    (Expect.HOMEOWNER, re.compile(r"\bown\b|homeowner|on the title|in your name")),
    (Expect.PREFERENCE, re.compile(r"morning or (?:the )?afternoon|which days?|what day|"
                                   r"days? (?:work|suit)|time of day|mornings|afternoons")),
    (Expect.BOOKING_OFFER, re.compile(r"consultation|set (?:that|one|it|a time|something) up|"
                                      r"\bbook\b|schedule|appointment|meet with")),
    (Expect.NAME, re.compile(r"your (?:first )?name|who (?:am i|i'?m|i am|do i have)|"
                             r"who(?:'s| is) calling|may i ask who|speaking with\?")),
    (Expect.LOCATION, re.compile(r"what city|which city|what state|where (?:is|'s) (?:the|your)")),
    (Expect.GOOD_TIME, re.compile(r"good time|a couple of minutes|a few minutes")),
    (Expect.ANYTHING_ELSE, re.compile(r"anything else|any other questions|other questions")),
)  # fmt: skip


def expect_after(text: str, state: CallState) -> Expect:
    """What the model's last question asked for (``NOTHING`` when it asked nothing known)."""
    questions = [q for q in re.split(r"(?<=[.!?])\s+", text.strip()) if q.endswith("?")]
    if not questions:
        return Expect.NOTHING
    asked = questions[-1].lower()
    if (
        state.offered
        and state.node == Node.BOOK
        and re.search(r"which (?:one|time|works|of)|either|better for you", asked)
    ):
        return Expect.SLOT
    return next((e for e, p in _ASKED if p.search(asked)), Expect.NOTHING)


def _after_reply(turn: Turn, spoke: bool) -> None:
    """The model worded the reply: what it asked is what the next turn's words answer."""
    if spoke:
        turn.state.expect = expect_after(turn.reply.text, turn.state)


def _decide_action(turn: Turn) -> None:
    """Hang up (or transfer) by code, from flags — never from the model's words."""
    s = turn.state
    if turn.action is not None or s.node != Node.EXIT:
        return
    heard = understand(turn.text)
    if heard.has(Intent.GOODBYE) or (heard.no and s.flags.booked):
        s.flags.ended = True
    if terminal(s) or s.flags.callback or s.flags.email_requested:
        turn.action = EndCall(reason="conversation complete")
