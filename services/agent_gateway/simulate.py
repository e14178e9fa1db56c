"""Simulated calls: the gateway's own session code (BusAgent + CallBridge in a LiveKit
AgentSession) in text mode — no room, no audio — against the running services."""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from livekit.agents import AgentSession
from nats.aio.client import Client as NATS

from contracts.base import new_call_id
from contracts.calls import CallDirection, EndReason
from contracts.tools import ToolInvoked, ToolName
from services.agent_gateway.agent import BusAgent, BusLLM
from services.agent_gateway.bridge import CallBridge, Reply, Timing
from services.agent_gateway.control import carry_out
from services.agent_gateway.recording import Recorder, Spoken, generated_audio

log = logging.getLogger(__name__)

SILENCE = "<silence>"
HANGUP = "<hangup>"


def script_lines(text: str) -> list[str]:
    """One caller line per line; ``#`` comments and blank lines ignored."""
    return [s for s in (line.strip() for line in text.splitlines()) if s and not s.startswith("#")]


@dataclass
class CallResult:
    call_id: str
    transcript: list[dict[str, str]] = field(default_factory=list)
    turns: int = 0
    end_reason: EndReason | None = None
    outcome: str | None = None
    lead_id: str | None = None
    appointment: dict[str, Any] | None = None
    callback: dict[str, Any] | None = None
    #: from the OutcomeRecorded event (not in ``as_json``, whose keys are fixed)
    disqualification_reason: str | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    #: the generated recording went to Storage (None: recordings off; False: left spooled)
    recorded: bool | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "call_id": self.call_id,
            "outcome": self.outcome,
            "lead_id": self.lead_id,
            "appointment": self.appointment,
            "callback": self.callback,
            "turns": self.turns,
            "transcript": self.transcript,
        }


class TextControl:
    """Actions in a simulated call: nothing to hang up; a transfer is announced."""

    def __init__(self, printer: Printer) -> None:
        self.printer = printer

    async def hang_up(self) -> None:
        self.printer.note("Barbara hangs up")

    async def transfer(self, to_number: str) -> bool:
        self.printer.note(f"transferring the caller to the broker at …{to_number[-4:]}")
        return True


class Printer:
    """How a simulated call shows up in a terminal (plain when not a TTY)."""

    def __init__(self, quiet: bool = False, stream: Any = None) -> None:
        self.quiet = quiet
        self.stream = stream or sys.stdout
        self.tty = self.stream.isatty()

    def _out(self, text: str) -> None:
        if not self.quiet:
            print(text, file=self.stream, flush=True)

    def barbara(self, text: str) -> None:
        self._out(f"Barbara: {text}")

    def caller(self, text: str) -> None:
        self._out(f"Caller:  {text}")

    def tool(self, event: ToolInvoked) -> None:
        status = f"error: {event.error.code.value}" if event.error else "ok"
        line = f"         · {event.tool.value} ({event.latency_ms:.0f} ms, {status})"
        self._out(f"\033[2m{line}\033[0m" if self.tty else line)

    def note(self, text: str) -> None:
        self._out(f"         [{text}]")


async def run_call(
    nc: NATS,
    caller: str,
    lines: AsyncIterator[str],
    *,
    dialled: str | None = None,
    timing: Timing | None = None,
    printer: Printer | None = None,
    outcome_wait_s: float = 5.0,
    recorder: Recorder | None = None,
) -> CallResult:
    """Place one simulated call; ``lines`` yields what the caller says, one turn at a time.
    With a ``recorder``, a generated recording of it goes to Storage once it has ended."""
    printer = printer or Printer(quiet=True)
    call_id = new_call_id()
    result = CallResult(call_id=call_id)
    bridge = CallBridge(nc, call_id, timing)
    finished = asyncio.Event()
    seen_tools = 0

    def show_tools() -> None:
        nonlocal seen_tools
        for event in bridge.tools[seen_tools:]:
            printer.tool(event)
        seen_tools = len(bridge.tools)

    control = TextControl(printer)

    async def on_reply_done(reply: Reply) -> None:
        show_tools()
        printer.barbara(reply.text)
        result.transcript.append({"role": "agent", "text": reply.text})
        if finished.is_set():
            return
        ended = await carry_out(reply, bridge, control)
        if ended is not None:
            result.end_reason = ended
            finished.set()

    await bridge.open()
    template = await bridge.template(dialled)
    session: AgentSession = AgentSession(llm=BusLLM())
    agent = BusAgent(bridge, on_reply_done)
    try:
        template_id = template.template_id if template else None
        await bridge.started(direction=CallDirection.INBOUND, caller=caller, dialled=dialled,
                             room=None, template_id=template_id)  # fmt: skip
        await session.start(agent)
        await _until(lambda: bool(agent.replies))
        await agent.idle.wait()
        async for line in lines:
            if finished.is_set():
                break
            if line == HANGUP:
                printer.note("the caller hangs up")
                break
            printer.caller("(silence)" if line == SILENCE else line)
            result.turns += 1
            if line == SILENCE:
                before = len(agent.replies)
                await agent.caller_silent()
                await _until(lambda: len(agent.replies) > before)  # noqa: B023
            else:
                result.transcript.append({"role": "caller", "text": line})
                await session.run(user_input=line)
            await agent.idle.wait()
        if not finished.is_set():
            result.end_reason = EndReason.CALLER_HUNG_UP
            await bridge.ended(EndReason.CALLER_HUNG_UP)
            finished.set()
    except Exception:
        log.exception("simulated call failed")
        if not finished.is_set():
            result.end_reason = EndReason.ERROR
            await bridge.ended(EndReason.ERROR, detail="gateway error")
        raise
    finally:
        outcome = await bridge.wait_outcome(outcome_wait_s)
        show_tools()
        _fill(result, outcome, bridge.tools)
        await bridge.close()  # `ended` is out: the recording never holds up the end of a call
        await session.aclose()
    if recorder is not None:
        result.recorded = await _record(recorder, bridge)
    return result


async def _record(recorder: Recorder, bridge: CallBridge) -> bool:
    length_ms = int((time.monotonic() - bridge.started_at) * 1000)
    lines = [Spoken(speaker, offset, chars) for speaker, offset, chars in bridge.spoken]
    audio = await asyncio.to_thread(generated_audio, lines, length_ms)
    started = datetime.fromtimestamp(bridge.started_wall, UTC)
    return await recorder.keep(bridge.call_id, audio, started_at=started, generated=True)


async def _until(check: Callable[[], bool], limit_s: float = 30.0) -> None:
    deadline = asyncio.get_running_loop().time() + limit_s
    while not check():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("the simulated call stalled")
        await asyncio.sleep(0.01)


def _fill(result: CallResult, outcome: Any, tools: list[ToolInvoked]) -> None:
    if outcome is not None:
        result.outcome = outcome.outcome.value
        result.lead_id = outcome.lead_id
        reason = outcome.disqualification_reason
        result.disqualification_reason = reason.value if reason is not None else None
        result.facts = dict(outcome.facts)
    booking = (ToolName.BOOK_APPOINTMENT, ToolName.RESCHEDULE_APPOINTMENT)
    booked = [t for t in tools if t.tool in booking and t.result]
    if booked:
        r = booked[-1].result or {}
        facts = outcome.facts if outcome is not None else {}
        result.appointment = {
            "broker": facts.get("broker") or r.get("broker_id"),
            "start": r.get("start"),
            "timezone": r.get("caller_timezone") or r.get("broker_timezone"),
            "broker_timezone": r.get("broker_timezone"),
            "caller_local": r.get("caller_local"),
        }
    callbacks = [t for t in tools if t.tool == ToolName.SCHEDULE_CALLBACK and t.result]
    if callbacks:
        r = callbacks[-1].result or {}
        result.callback = {"at": r.get("at"), "timezone": r.get("timezone")}
    if result.lead_id is None:
        for t in tools:
            if t.tool == ToolName.LOOKUP_LEAD and t.result and t.result.get("lead_id"):
                result.lead_id = t.result["lead_id"]
