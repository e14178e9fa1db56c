"""The dialogue's bus adapters: tools and store over request/reply, publishing replies and
events to the CALLS stream — all on the turn path, so through the service's
:class:`~contracts.hotpath.HotPath` (nats-py: ``broker.publish`` cost 51 µs against 4 µs, a
request 250 µs more; every hop still carries the call's trace context and is counted in the
bus metrics)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import nats.errors
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from contracts import codec
from contracts.base import Message
from contracts.calls import CallType
from contracts.conversation import ReplyChunk
from contracts.hotpath import HotPath
from contracts.store import (
    CallerContext,
    CallerContextReply,
    GetActivePrompt,
    GetCallerContext,
    GetTemplate,
    PromptReply,
    RenderedPrompt,
    Template,
    TemplateReply,
)
from contracts.subjects import (
    CALLS_STREAM,
    Header,
    StoreQuery,
    call_subject,
    store_subject,
    tool_subject,
)
from contracts.tools import REQUESTS, ToolError, ToolErrorCode, ToolReply, ToolRequest, ToolResult

log = logging.getLogger(__name__)

_TOOL_NAMES = {request: name for name, request in REQUESTS.items()}


#: requests for one tool call in flight at once (the first and one hedge)
HEDGES = 2


class BusTools:
    """``tools.<tool>`` request/reply, **hedged**: a request with no answer after
    ``hedge_after`` s is sent again (the same bytes: the same request id and idempotency key,
    so a write is never doubled) and the first answer wins — a copy killed mid-request costs
    the caller ``hedge_after``, not the whole timeout. No responder at all is asked again
    after a moment. Out of time: a retryable ``ToolError`` — no result is ever invented."""

    def __init__(self, hot: HotPath, timeout: float = 4.0, hedge_after: float = 0.8) -> None:
        self._hot = hot
        self._timeout = timeout
        self._hedge_after = hedge_after

    async def call(self, request: ToolRequest, *, deadline: float | None = None) -> ToolResult:
        name = _TOOL_NAMES[type(request)]
        data = codec.encode(request)
        subject = tool_subject(name.value)
        budget = deadline or self._timeout
        loop = asyncio.get_running_loop()
        ends = loop.time() + budget
        asking: set[asyncio.Task[bytes | None]] = set()
        try:
            while True:
                left = ends - loop.time()
                if left <= 0:
                    break
                if len(asking) < HEDGES:  # a slow service is not flooded with copies
                    if asking:
                        log.warning("tool %s: no answer in %.2f s; asking again",
                                    name.value, self._hedge_after)  # fmt: skip
                    asking.add(asyncio.ensure_future(self._ask(subject, data, left, name)))
                done, _ = await asyncio.wait(
                    asking, timeout=min(self._hedge_after, left),
                    return_when=asyncio.FIRST_COMPLETED,
                )  # fmt: skip
                for task in done:
                    asking.discard(task)
                    reply = task.result()
                    if reply is not None:
                        return self._result(name, reply)
                if done and not asking:  # no responder: give one a moment to appear
                    await asyncio.sleep(min(0.05, max(ends - loop.time(), 0)))
        finally:
            for task in asking:
                task.cancel()
        return ToolError(
            code=ToolErrorCode.UNAVAILABLE,
            message="I'm having trouble reaching that right now.",
            retryable=True,
        )

    async def _ask(self, subject: str, data: bytes, timeout: float, name: Any) -> bytes | None:
        try:
            return (await self._hot.request(subject, data, timeout=timeout)).data
        except nats.errors.NoRespondersError:
            log.warning("tool %s: no responders", name.value)
        except nats.errors.TimeoutError:
            log.warning("tool %s: timed out", name.value)
        return None

    @staticmethod
    def _result(name: Any, reply: bytes) -> ToolResult:
        try:
            return codec.decode(reply, ToolReply).result
        except codec.ContractError as err:
            log.error("tool %s: bad reply: %s", name.value, err)
            return ToolError(code=ToolErrorCode.INTERNAL, message="bad reply")


class BusStore:
    """``store.<query>`` reads; ``None`` on a miss, an error, or no persistence running."""

    def __init__(self, hot: HotPath, timeout: float = 0.5) -> None:
        self._hot = hot
        self._timeout = timeout

    async def _ask(self, query: StoreQuery, request: Message, reply_type: Any) -> Any:
        try:
            msg = await self._hot.request(
                store_subject(query), codec.encode(request), timeout=self._timeout
            )
            return codec.decode(msg.data, reply_type)
        except (nats.errors.NoRespondersError, nats.errors.TimeoutError):
            log.info("store %s: no answer", query.value)
        except codec.ContractError as err:
            log.warning("store %s: bad reply: %s", query.value, err)
        return None

    async def caller_context(self, call_id: str, caller_number: str) -> CallerContext | None:
        reply = await self._ask(
            StoreQuery.CALLER_CONTEXT,
            GetCallerContext(call_id=call_id, caller_number=caller_number),
            CallerContextReply,
        )
        return reply if isinstance(reply, CallerContext) else None

    async def template(self, dialled_number: str | None) -> Template | None:
        reply = await self._ask(
            StoreQuery.TEMPLATE, GetTemplate(dialled_number=dialled_number), TemplateReply
        )
        return reply if isinstance(reply, Template) else None

    async def prompt(self, call_type: CallType, variables: dict[str, str]) -> RenderedPrompt | None:
        reply = await self._ask(
            StoreQuery.PROMPT,
            GetActivePrompt(call_type=call_type, variables=variables),
            PromptReply,
        )
        return reply if isinstance(reply, RenderedPrompt) else None


class BusPublisher:
    def __init__(self, hot: HotPath, js: JetStreamContext) -> None:
        self._hot = hot
        self._js = js

    async def chunk(self, chunk: ReplyChunk) -> None:
        """A plain publish (no ack wait on the hot path); the CALLS stream captures it and
        de-duplicates by ``Nats-Msg-Id``."""
        headers = {Header.MSG_ID: chunk.event_id, Header.CONTRACT: "ReplyChunk"}
        await self._hot.publish(call_subject(chunk.call_id, "reply"), codec.encode(chunk), headers)

    async def event(self, subject: str, event: Message) -> None:
        await self._hot.publish_event(subject, event)

    async def call_ended(self, call_id: str) -> bool:
        """One JetStream read of the last ``calls.<id>.ended`` (asked only on redelivery)."""
        try:
            await self._js.get_last_msg(CALLS_STREAM, call_subject(call_id, "ended"))
        except NotFoundError:
            return False
        return True

    async def published_chunks(
        self, call_id: str, reply_id: str, from_seq: int
    ) -> list[ReplyChunk]:
        """The chunks of ``reply_id`` stored after stream sequence ``from_seq``."""
        subject = call_subject(call_id, "reply")
        found: list[ReplyChunk] = []
        seq = max(from_seq, 1)
        for _ in range(200):
            try:
                raw = await self._js.get_msg(CALLS_STREAM, seq=seq, subject=subject, next=True)
            except NotFoundError:
                break
            if raw.data:
                try:
                    chunk = codec.decode(raw.data, ReplyChunk)
                except codec.ContractError:
                    chunk = None
                if chunk is not None and chunk.reply_id == reply_id:
                    found.append(chunk)
            if raw.seq is None:
                break
            seq = raw.seq + 1
        return found
