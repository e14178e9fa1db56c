"""The bridge between one call and the bus — the gateway's whole contact with the system.

It publishes what happens on the call (started, caller turns, transcripts, interruptions,
ended) on ``calls.<call_id>.*`` and turns the dialogue's ``calls.<call_id>.reply`` chunks back
into an ordered stream of text for TTS. No business logic: it never decides what to say,
except the safety net — a short filler when a reply is slow to start, and an apology when no
reply comes at all.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from nats.aio.client import Client as NATS
from nats.aio.msg import Msg
from opentelemetry.context import Context
from opentelemetry.trace import SpanKind, set_span_in_context

from contracts import codec
from contracts.base import Message, new_id
from contracts.bus import publish_event
from contracts.calls import CallDirection, CallEnded, CallStarted, EndReason, OutcomeRecorded
from contracts.conversation import (
    Action,
    CallerTurn,
    ReplyChunk,
    ReplyInterrupted,
    Speaker,
    TranscriptSegment,
)
from contracts.store import GetTemplate, Template, TemplateReply
from contracts.subjects import Header, StoreQuery, call_subject, store_subject
from contracts.telemetry import CALL_ID, call_span, inject, subject_template
from contracts.tools import ToolInvoked

log = logging.getLogger(__name__)

FILLER = "One moment, please."
APOLOGY = (
    "I'm so sorry, I'm having trouble on my end right now. "
    "Someone from our team will call you back. Goodbye."
)


@dataclass(frozen=True)
class Timing:
    """The never-silence limits (EC_GATEWAY_FILLER_MS, EC_GATEWAY_REPLY_TIMEOUT_MS)."""

    filler_after_s: float = 1.5
    reply_timeout_s: float = 8.0
    #: a reply that started but stops arriving is given up after this long
    stall_timeout_s: float = 8.0


class NoReply(Exception):
    """The dialogue did not answer within the hard limit."""


@dataclass
class Reply:
    """What was said for one turn (or the greeting), and what to do after."""

    text: str = ""
    action: Action | None = None
    filled: bool = False
    reply_id: str | None = None
    failed: bool = False
    #: the final chunk arrived (False: the reply stalled and was cut short)
    complete: bool = False


@dataclass
class _Pending:
    chunks: dict[tuple[str, int], ReplyChunk] = field(default_factory=dict)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)


class CallBridge:
    def __init__(self, nc: NATS, call_id: str, timing: Timing | None = None) -> None:
        self.nc = nc
        self.call_id = call_id
        self.timing = timing or Timing()
        self._pending: dict[str | None, _Pending] = {}
        self._seq = 0  # transcript order within the call
        self._turns = 0
        self.started_at = time.monotonic()
        #: the same instant on the wall clock (where a recording's offset is measured from)
        self.started_wall = time.time()
        #: (speaker, offset_ms, characters) of each transcript line: a simulated call's
        #: generated recording is laid out from these
        self.spoken: list[tuple[Speaker, int, int]] = []
        self.outcome: OutcomeRecorded | None = None
        self.tools: list[ToolInvoked] = []
        self._outcome_seen = asyncio.Event()
        self._subs: list[object] = []
        self._outbox: asyncio.Queue[tuple[str, Message, dict[str, str]]] = asyncio.Queue()
        self._trace_context: Context | None = None  # the call's trace, once started
        self._outbox_task: asyncio.Task[None] | None = None

    # ---- lifecycle ------------------------------------------------------------------------

    async def open(self) -> None:
        """Listen before speaking: replies, and (for simulated calls) outcome and tool audit."""
        self._subs.append(
            await self.nc.subscribe(call_subject(self.call_id, "reply"), cb=self._on_reply)
        )
        self._subs.append(
            await self.nc.subscribe(call_subject(self.call_id, "outcome"), cb=self._on_outcome)
        )
        self._subs.append(
            await self.nc.subscribe(call_subject(self.call_id, "tool"), cb=self._on_tool)
        )

    async def close(self) -> None:
        await self.flush()
        if self._outbox_task is not None:
            self._outbox_task.cancel()
        for sub in self._subs:
            try:
                await sub.unsubscribe()  # type: ignore[attr-defined]
            except Exception:
                pass
        self._subs.clear()

    async def template(self, dialled: str | None) -> Template | None:
        """The call's template from persistence; None (→ defaults) if it cannot be had."""
        headers: dict[str, str] = {}
        self._trace(store_subject(StoreQuery.TEMPLATE), headers)
        try:
            msg = await self.nc.request(
                store_subject(StoreQuery.TEMPLATE),
                codec.encode(GetTemplate(dialled_number=dialled)),
                timeout=2,
                headers=headers or None,
            )
            reply: Any = codec.decode(msg.data, TemplateReply)  # type: ignore[arg-type]
        except Exception as err:
            log.warning("template unavailable (%s): using defaults", type(err).__name__)
            return None
        return reply if isinstance(reply, Template) else None

    async def started(
        self,
        *,
        direction: CallDirection,
        caller: str | None,
        dialled: str | None,
        room: str | None,
        template_id: str | None,
    ) -> None:
        await self._publish("started", CallStarted(
            call_id=self.call_id, direction=direction, from_number=caller if direction is
            CallDirection.INBOUND else dialled, to_number=dialled if direction is
            CallDirection.INBOUND else caller, room=room, template_id=template_id,
        ))  # fmt: skip

    async def ended(self, reason: EndReason, detail: str = "") -> None:
        duration = int((time.monotonic() - self.started_at) * 1000)
        await self._publish("ended", CallEnded(call_id=self.call_id, reason=reason,
                                               duration_ms=duration, detail=detail))  # fmt: skip

    # ---- what is said ---------------------------------------------------------------------

    async def caller_said(self, text: str) -> str:
        """A final caller turn: recorded in the transcript and sent to the dialogue."""
        turn_id = new_id("turn_")
        if text:
            await self.transcript(Speaker.CALLER, text)
        await self._publish("turn", CallerTurn(call_id=self.call_id, turn_id=turn_id,
                                               seq=self._next_turn(), text=text,
                                               silence=not text))  # fmt: skip
        return turn_id

    async def transcript(
        self, speaker: Speaker, text: str, *, heard: str | None = None, interrupted: bool = False
    ) -> None:
        seq, self._seq = self._seq, self._seq + 1
        offset_ms = int((time.monotonic() - self.started_at) * 1000)
        self.spoken.append((speaker, offset_ms, len(heard if heard is not None else text)))
        await self._publish("transcript", TranscriptSegment(
            call_id=self.call_id, seq=seq, speaker=speaker, text=text,
            heard_text=heard, interrupted=interrupted, offset_ms=offset_ms,
        ))  # fmt: skip

    async def interrupted(self, reply_id: str, heard: str) -> None:
        await self._publish(
            "interrupted",
            ReplyInterrupted(call_id=self.call_id, reply_id=reply_id, heard_text=heard),
        )

    async def reply_stream(self, turn_id: str | None, out: Reply) -> AsyncIterator[str]:
        """The dialogue's reply to ``turn_id`` (None: the greeting), chunk by chunk in order.

        A filler is spoken if nothing arrives within ``filler_after_s``; :class:`NoReply` is
        raised if nothing arrives within ``reply_timeout_s``.
        """
        pending = self._pending.setdefault(turn_id, _Pending())
        next_seq = 0
        reply_id: str | None = None
        started = time.monotonic()
        got_any = False
        try:
            while True:
                chunk = self._take(pending, reply_id, next_seq)
                if chunk is not None:
                    reply_id = out.reply_id = chunk.reply_id
                    next_seq = chunk.seq + 1
                    got_any = True
                    if chunk.text:
                        out.text = f"{out.text} {chunk.text}".strip()
                        yield chunk.text + " "
                    if chunk.final:
                        out.action = chunk.action
                        out.complete = True
                        return
                    continue
                waited = time.monotonic() - started
                limit = self.timing.stall_timeout_s if got_any else self.timing.reply_timeout_s
                if waited >= limit:
                    if got_any:
                        log.warning("reply stalled; treating it as complete")
                        return
                    raise NoReply()
                budget = limit - waited
                if not got_any and not out.filled:
                    budget = min(budget, max(0.0, self.timing.filler_after_s - waited))
                pending.arrived.clear()
                try:
                    await asyncio.wait_for(pending.arrived.wait(), timeout=max(budget, 0.001))
                except TimeoutError:
                    if (
                        not got_any
                        and not out.filled
                        and waited + budget >= self.timing.filler_after_s
                    ):
                        out.filled = True
                        out.text = f"{out.text} {FILLER}".strip()
                        yield FILLER + " "
        finally:
            self._pending.pop(turn_id, None)

    def _take(self, pending: _Pending, reply_id: str | None, seq: int) -> ReplyChunk | None:
        for (rid, s), chunk in sorted(pending.chunks.items(), key=lambda kv: kv[0][1]):
            if (reply_id is None or rid == reply_id) and s == seq:
                del pending.chunks[(rid, s)]
                return chunk
            if s < seq and (reply_id is None or rid == reply_id):
                del pending.chunks[(rid, s)]  # a duplicate (redelivered turn): never twice
        return None

    async def wait_outcome(self, timeout: float = 5.0) -> OutcomeRecorded | None:
        try:
            await asyncio.wait_for(self._outcome_seen.wait(), timeout)
        except TimeoutError:
            return None
        return self.outcome

    # ---- plumbing -------------------------------------------------------------------------

    async def _on_reply(self, msg: Msg) -> None:
        try:
            chunk = codec.decode(msg.data, ReplyChunk)
        except codec.ContractError as err:
            log.warning("ignoring a malformed reply chunk: %s", err)
            return
        pending = self._pending.setdefault(chunk.turn_id, _Pending())
        pending.chunks.setdefault((chunk.reply_id, chunk.seq), chunk)
        pending.arrived.set()

    async def _on_outcome(self, msg: Msg) -> None:
        try:
            self.outcome = codec.decode(msg.data, OutcomeRecorded)
            self._outcome_seen.set()
        except codec.ContractError:
            log.warning("ignoring a malformed outcome")

    async def _on_tool(self, msg: Msg) -> None:
        try:
            self.tools.append(codec.decode(msg.data, ToolInvoked))
        except codec.ContractError:
            pass

    def _next_turn(self) -> int:
        self._turns += 1
        return self._turns - 1

    async def _publish(self, event: str, message: Message) -> None:
        """The caller's turn goes out at once (a core publish the CALLS stream captures: the
        dialogue's reply is its acknowledgement). Everything else for the record is published
        in order by a background task that waits for JetStream's ack and retries, so speech
        never waits on it and nothing is dropped while the bus reconnects.

        With tracing on, each publish is a span of the call's trace (the first message of the
        call — the template request, else ``started`` — begins it, inside LiveKit's session
        span when there is one) and its ``traceparent`` goes in the headers, so every
        service's work on the call joins that trace."""
        subject = call_subject(self.call_id, event)
        headers = {Header.MSG_ID: message.event_id}
        self._trace(subject, headers)
        if event == "turn":
            await self.nc.publish(subject, codec.encode(message), headers=headers)
            return
        if self._outbox_task is None:
            self._outbox_task = asyncio.create_task(self._drain_outbox())
        self._outbox.put_nowait((subject, message, headers))

    def _trace(self, subject: str, headers: dict[str, str]) -> None:
        template = subject_template(subject)
        with call_span("gateway", f"{template} publish", parent=self._trace_context,
                       kind=SpanKind.PRODUCER, attributes={"messaging.system": "nats",
                       "messaging.destination.name": template, CALL_ID: self.call_id},
                       ) as span:  # fmt: skip
            if span is None:
                return
            if self._trace_context is None:
                self._trace_context = set_span_in_context(span)
            inject(headers)

    async def _drain_outbox(self) -> None:
        js = self.nc.jetstream()
        while True:
            subject, message, headers = await self._outbox.get()
            for attempt in range(50):
                try:
                    await publish_event(js, subject, message, ack_timeout=2, headers=headers)
                    break
                except Exception as err:
                    if attempt == 49:
                        log.error("gave up publishing %s (%s)", subject.rsplit(".", 1)[-1],
                                  type(err).__name__)  # fmt: skip
                    await asyncio.sleep(0.1 * (attempt + 1))
            self._outbox.task_done()

    async def flush(self, timeout: float = 10.0) -> None:
        """Wait until everything for the record is acknowledged (at the end of a call)."""
        try:
            await asyncio.wait_for(self._outbox.join(), timeout)
        except TimeoutError:
            log.warning("%d events not yet acknowledged at close", self._outbox.qsize())
