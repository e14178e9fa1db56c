"""Talking to the tools service the way the dialogue does: over the bus, with a session."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from contracts import codec
from contracts.base import new_call_id
from contracts.bus import publish_event
from contracts.calls import CallDirection, CallEnded, CallStarted, EndReason
from contracts.phone import to_e164
from contracts.subjects import call_subject, tool_subject
from contracts.tools import (
    REQUESTS,
    LeadLookupResult,
    LookupLead,
    ToolError,
    ToolName,
    ToolOutcome,
    ToolReply,
    ToolRequest,
    ToolSession,
    VerificationResult,
    VerifyCaller,
)
from services.tools.seed import stable_id

#: Tuesday 1 December 2026, 14:00 UTC = 9:00 Eastern, 8:00 Central, 6:00 Pacific.
NOW = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)

TOOL_OF: dict[type, ToolName] = {request: tool for tool, request in REQUESTS.items()}
R = TypeVar("R")

MARGARET = "(206) 555-0231"  # qualified, Seattle WA, broker brk-pacific
WALTER = "312-555-0232"  # known, nothing qualified yet, Chicago IL
DENISE = "+1 503 555 0233"  # under 62
RUTH = "+1 720 555 0238"  # do not call
GEORGE = "(916) 555-0241"  # qualified, Sacramento CA


def lead_id(key: str) -> str:
    return str(stable_id("lead", key))


def broker_id(key: str) -> str:
    return str(stable_id("broker", key))


async def request(nc: Any, req: ToolRequest, wait: float = 10.0) -> ToolOutcome:
    msg = await nc.request(tool_subject(TOOL_OF[type(req)]), codec.encode(req), timeout=wait)
    reply = codec.decode(msg.data, ToolReply)
    assert reply.request_id == req.event_id
    return reply.result


async def raw(nc: Any, tool: str, data: bytes, wait: float = 10.0) -> ToolReply:
    msg = await nc.request(tool_subject(tool), data, timeout=wait)
    return codec.decode(msg.data, ToolReply)


def ok(result: ToolOutcome, kind: type[R]) -> R:
    assert not isinstance(result, ToolError), result
    assert isinstance(result, kind), result
    return result


def refused(result: ToolOutcome) -> ToolError:
    assert isinstance(result, ToolError), result
    return result


@dataclass
class Call:
    """One phone call as the dialogue sees it: its own session state, fed by tool results."""

    nc: Any
    caller_number: str | None
    call_id: str = field(default_factory=new_call_id)
    lead_id: str | None = None
    verified: bool = False
    caller_timezone: str | None = None
    started: bool = False

    async def start(self) -> None:
        """What the gateway does first: ``calls.<id>.started`` on the CALLS stream, with the
        caller number it saw (the only source of a tools session)."""
        if self.started:
            return
        await start_call(self.nc, self.call_id, self.caller_number)
        self.started = True

    @property
    def session(self) -> ToolSession:
        return ToolSession(
            call_id=self.call_id,
            lead_id=self.lead_id,
            verified=self.verified,
            caller_number=self.caller_number,
            caller_timezone=self.caller_timezone,
        )

    async def ask(self, kind: type[ToolRequest], **args: Any) -> ToolOutcome:
        if kind is LookupLead:
            await self.start()
        return await request(self.nc, kind(session=self.session, **args))

    async def lookup(self) -> LeadLookupResult:
        result = ok(await self.ask(LookupLead), LeadLookupResult)
        self.lead_id = result.lead_id
        self.verified = self.verified or (result.created and result.verified)
        return result

    async def verify(self, **said: Any) -> VerificationResult:
        result = ok(await self.ask(VerifyCaller, **said), VerificationResult)
        self.verified = self.verified or result.verified
        return result


async def start_call(
    nc: Any, call_id: str, caller_number: str | None, *, ended: bool = False
) -> None:
    """Publish the call's ``started`` as the gateway does (and its ``ended`` when asked)."""
    try:
        number = to_e164(caller_number) if caller_number else None
    except ValueError:
        number = None  # the session's claim is checked (and refused) on its own
    js = nc.jetstream()
    event = CallStarted(call_id=call_id, direction=CallDirection.INBOUND, from_number=number,
                        to_number="+18005550100")  # fmt: skip
    await publish_event(js, call_subject(call_id, "started"), event)
    if ended:
        done = CallEnded(call_id=call_id, reason=EndReason.CALLER_HUNG_UP, duration_ms=1000)
        await publish_event(js, call_subject(call_id, "ended"), done)


def key() -> str:
    return uuid.uuid4().hex
