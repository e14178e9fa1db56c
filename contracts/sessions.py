"""Which calls exist: a session is created by the call, not claimed by a client.

Only the gateway publishes ``calls.<id>.started``, so the CALLS stream is the authority on a
call: that it was started, the caller number the gateway saw, and whether it has ended.
The tools' ``lookup_lead`` binds a call to a lead only when the stream has its ``started``
with the number the session names and no ``ended`` (every other tool works from that
binding); persistence answers ``store.caller_context`` (a caller's memory) only for a call in
progress from that number. A request for a call id nobody started, for a call that is over,
or naming another number, is refused.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import Protocol

from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from contracts import codec
from contracts.calls import CallDirection, CallStarted
from contracts.phone import to_e164
from contracts.subjects import CALLS_STREAM, call_subject

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StartedCall:
    call_id: str
    #: the other party's number as the gateway saw it (E.164), if it had one
    caller_phone: str | None
    ended: bool


class Calls(Protocol):
    async def started(self, call_id: str) -> StartedCall | None:
        """The call as the gateway started it; ``None`` when it never was."""
        ...


def caller_of(event: CallStarted) -> str | None:
    number = event.from_number if event.direction == CallDirection.INBOUND else event.to_number
    if number is None:
        return None
    try:
        return to_e164(number)
    except ValueError:
        return None


class StreamCalls:
    """The CALLS stream's ``started`` and ``ended`` of a call (two direct reads; a call's
    start is cached, its end is read each time)."""

    def __init__(self, js: JetStreamContext, cache_size: int = 10_000) -> None:
        self._js = js
        self._started: OrderedDict[str, str | None] = OrderedDict()
        self._cache_size = cache_size

    async def started(self, call_id: str) -> StartedCall | None:
        if call_id in self._started:
            phone = self._started[call_id]
        else:
            raw = await self._last(call_subject(call_id, "started"))
            if raw is None:
                return None
            try:
                event = codec.decode(raw, CallStarted)
            except codec.ContractError:
                log.warning("a started event that is not the contract; call refused")
                return None
            if event.call_id != call_id:
                return None
            phone = caller_of(event)
            self._started[call_id] = phone
            if len(self._started) > self._cache_size:
                self._started.popitem(last=False)
        ended = await self._last(call_subject(call_id, "ended")) is not None
        return StartedCall(call_id=call_id, caller_phone=phone, ended=ended)

    async def _last(self, subject: str) -> bytes | None:
        try:
            msg = await self._js.get_last_msg(CALLS_STREAM, subject)
        except NotFoundError:
            return None
        return msg.data or b""
