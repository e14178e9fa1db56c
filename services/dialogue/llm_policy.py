"""The LLM path: the node's prompt, streaming with tools, a few tool rounds, fallbacks.

The system prompt is the active prompt version's sections plus the current node's text. The
LLM sees only the current node's functions; code runs them with the call's session and routes
on the flags they set. Text is spoken sentence by sentence as it streams. A provider failure is
retried once, then the template's fallback model, then the offline policy takes the turn.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from typing import Any

from contracts.calls import Node
from contracts.conversation import EndCall
from contracts.timezones import state_timezone
from services.dialogue.context import Turn
from services.dialogue.functions import call_function, tool_specs
from services.dialogue.graph import GLOBAL_FUNCTIONS, GRAPH, move, route, terminal
from services.dialogue.offline import speak
from services.dialogue.ports import LlmConfig, LlmRequest, LlmUnavailable, TextDelta, ToolCall
from services.dialogue.state import CallState
from services.dialogue.understand import Intent, understand

log = logging.getLogger(__name__)

SECTION_ORDER = (
    "role", "personality", "context", "conversation_flow", "rules", "output_format", "safety",
    "pronunciation",
)  # fmt: skip
HISTORY_FOR_LLM = 20
MAX_SENTENCES = 3
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
    f, broker = state.facts, state.broker
    zone = state_timezone(f.state) or (broker.timezone if broker else None)
    return {
        "call_type": state.call_type.value,
        "today": today,
        "lead_first_name": f.first_name or "the homeowner",
        "lead_city": f.city or "their city",
        "broker_name": broker.name if broker else "a licensed broker",
        "broker_company": broker.company if broker else "our partner brokerage",
        "broker_nmls": broker.nmls if broker else "shared at the consultation",
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
    if s.offered and s.node == Node.BOOK:
        offered = "; ".join(f"{o.caller_local} (slot_id {o.slot_id})" for o in s.offered)
        parts.append(f"Open times you may offer: {offered}.")
    return "\n\n".join(parts)


def _known(s: CallState) -> str:
    f, fl = s.facts, s.flags
    items = [
        f"caller name given: {'yes, ' + f.first_name if f.first_name and fl.identified else 'no'}",
        f"verified: {'yes' if fl.verified else 'no'}",
        f"qualified: {'yes' if fl.qualified else 'no' if fl.qualified is False else 'not yet'}",
    ]
    open_gates = [g for g, v in fl.gates.items() if v is None]
    if open_gates:
        items.append("checks still open: " + ", ".join(open_gates))
    if fl.booked and s.appointment:
        items.append(f"booked for {s.appointment.caller_local}")
    if fl.objection:
        items.append(f"open concern: {fl.objection}")
    if s.returning and fl.verified and s.memory.get("money_purpose"):
        items.append(f"last time they wanted to {s.memory['money_purpose']}")
    return "; ".join(items) + "."


def history_messages(state: CallState) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in state.history[-HISTORY_FOR_LLM:]:
        text = item.text or ("(silence)" if item.role == "caller" else "")
        if not text:
            continue
        out.append({"role": "user" if item.role == "caller" else "assistant", "content": text})
    return out


async def llm_turn(turn: Turn, config: LlmConfig) -> None:
    """Answer with the LLM; retry once, then the fallback model. Raises LlmUnavailable when no
    model produced a word (the caller then gets the offline policy)."""
    models = [config.model, config.model]
    if config.fallback_model and config.fallback_model != config.model:
        models.append(config.fallback_model)
    last: LlmUnavailable | None = None
    clock, tuning = turn.deps.clock, turn.deps.tuning
    deadline = clock.monotonic() + tuning.llm_turn_budget
    for attempt, model in enumerate(models):
        left = deadline - clock.monotonic()
        if left <= 0.2:
            break  # the caller has waited long enough: the offline policy answers
        try:
            await _converse(turn, config, model, min(tuning.llm_first_token_timeout, left))
            _decide_action(turn)
            return
        except LlmUnavailable as err:
            last = err
            log.warning("llm %s failed (attempt %d): %s", model, attempt + 1, err)
            if turn.reply.sentences or turn.cancelled:
                _decide_action(turn)
                return  # words are out already: finish the reply as it stands
            await asyncio.sleep(turn.deps.tuning.llm_retry_delay * (attempt + 1))
    raise last or LlmUnavailable("no model")


async def _converse(turn: Turn, config: LlmConfig, model: str, first_token: float) -> None:
    messages: list[dict[str, Any]] = [{"role": "system", "content": system_prompt(turn)}]
    messages += history_messages(turn.state)
    rounds = turn.deps.tuning.max_tool_rounds
    for round_no in range(rounds + 1):
        spec = GRAPH[turn.state.node]
        allowed = set(spec.functions) | set(GLOBAL_FUNCTIONS)
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
        for call in calls:
            try:
                args = json.loads(call.arguments or "{}")
            except json.JSONDecodeError:
                args = {}
            result = await call_function(
                turn, call.name, args if isinstance(args, dict) else {}, allowed
            )
            messages.append(
                {"role": "tool", "tool_call_id": call.id, "content": json.dumps(result)}
            )
        move(turn.state, route(turn.state))
        if turn.cancelled:
            break
        messages[0] = {"role": "system", "content": system_prompt(turn)}
    await turn.reply.flush()
    if not turn.reply.sentences and not turn.cancelled:
        await speak(turn, None)  # the model only called tools: the node's own question


async def _stream(turn: Turn, request: LlmRequest, timeout: float) -> tuple[str, list[ToolCall]]:
    """One model call: speak sentences as they complete, collect tool calls. Stops at once
    when the caller barges in."""
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
        event: TextDelta | ToolCall | None = first
        while event is not None:
            if isinstance(event, TextDelta):
                text.append(event.text)
                if turn.reply.sentences < MAX_SENTENCES:
                    await turn.reply.feed(event.text)
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
