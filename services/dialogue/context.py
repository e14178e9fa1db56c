"""What a turn handler works with: its dependencies and the turn in progress."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

from contracts import codec
from contracts.area_codes import area_state
from contracts.conversation import Action
from contracts.timezones import state_timezone
from contracts.tools import (
    REQUESTS,
    CheckConsent,
    FindBroker,
    LookupLead,
    RecordQualification,
    SearchKnowledge,
    ToolError,
    ToolErrorCode,
    ToolRequest,
    ToolResult,
    ToolSession,
    UpdateLead,
    VerifyCaller,
)
from services.dialogue.language.meaning import MeaningReader
from services.dialogue.ports import Clock, Llm, Publisher, States, Store, Tools
from services.dialogue.reply import ReplyStream, safe_token
from services.dialogue.state import CallState

log = logging.getLogger(__name__)

TOOL_NAMES = {request: name for name, request in REQUESTS.items()}
FILLERS = ("Let me check that for you.", "One moment while I look that up.", "Just a second.")
#: Tools whose answer depends only on the request: the same request in the same turn is sent
#: once. When the LLM fails after code recorded the caller's facts, the offline policy takes the
#: turn from the state as it was and reads the same words again; its requests are then
#: answered from here, so no fact is recorded twice and no failed verification counted twice.
ONCE_PER_TURN = (VerifyCaller, RecordQualification, UpdateLead, FindBroker, LookupLead,
                 CheckConsent, SearchKnowledge)  # fmt: skip


@dataclass
class Tuning:
    """Timing knobs (seconds). The LLM's come from the settings (``EC_LLM_FIRST_TOKEN_S``,
    ``EC_LLM_TURN_BUDGET_S``, ``EC_LLM_COOLDOWN_S``, ``EC_LLM_FAILED_TURNS``)."""

    filler_after: float = 0.7
    tool_timeout: float = 4.0
    #: a tool request unanswered this long is sent again (same request, same idempotency key)
    #: and the first answer wins: a copy killed mid-request costs the caller this, not the
    #: whole timeout
    tool_hedge_after: float = 0.8
    #: an attempt with no delta of any kind (text or a tool call) by then has failed
    llm_first_token_timeout: float = 3.0
    #: all LLM attempts of one turn together; past it the offline policy answers
    llm_turn_budget: float = 5.0
    llm_retry_delay: float = 0.2
    max_tool_rounds: int = 3
    #: this many LLM turns failed in a row rest the LLM for ``llm_cooldown``; one failed turn
    #: only hands that turn to the offline policy
    llm_failed_turns: int = 3
    llm_cooldown: float = 10.0


@dataclass
class Deps:
    tools: Tools
    store: Store
    states: States
    publisher: Publisher
    clock: Clock
    llm: Llm | None = None
    #: the learned reading of what callers mean (none: the rules alone)
    meaning: MeaningReader | None = None
    llm_env: dict[str, str] = field(default_factory=dict)
    tuning: Tuning = field(default_factory=Tuning)
    #: process-wide LLM health: monotonic time until which the LLM is skipped
    llm_down_until: float = 0.0
    #: LLM turns failed in a row (any call); a turn the LLM answers resets it
    llm_failures: int = 0


@dataclass
class Turn:
    """One turn in progress: a working copy of the state, the reply being spoken."""

    deps: Deps
    state: CallState
    reply: ReplyStream
    turn_id: str
    text: str = ""
    cancel: asyncio.Event = field(default_factory=asyncio.Event)
    action: Action | None = None
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    #: the acknowledgement of what code understood this turn (LLM path), if any
    noted: str | None = None
    #: this turn's reply asks nothing new: Barbara's last words said again ("what was that?"),
    #: or she waits ("hold on, let me get a pen")
    ask_nothing: bool = False
    _keys: dict[str, int] = field(default_factory=dict)
    _answers: dict[bytes, ToolResult] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.reply.stop = self.cancel

    @property
    def cancelled(self) -> bool:
        return self.cancel.is_set()

    def session(self) -> ToolSession:
        s = self.state
        # the caller's zone: where they said the home is; for a known lead the tools use the
        # state on file (never the broker's zone); for a new caller, their area code's state
        timezone = state_timezone(s.facts.state)
        if timezone is None and not s.lead_found:
            timezone = state_timezone(area_state(s.caller_number)) or (
                s.broker.timezone if s.broker else None
            )
        return ToolSession(
            call_id=s.call_id,
            lead_id=s.lead_id,
            verified=s.flags.verified,
            caller_number=s.caller_number,
            caller_timezone=timezone,
        )

    def idempotency_key(self, what: str) -> str:
        """Same turn, same effect → same key, on whichever copy runs it."""
        n = self._keys.get(what, 0)
        self._keys[what] = n + 1
        return f"{self.state.call_id}:{safe_token(self.turn_id, 60)}:{what}:{n}"

    async def tool(self, request: ToolRequest) -> ToolResult:
        """Call a tool over the bus; if it is slow, say a short filler first. A request of
        :data:`ONCE_PER_TURN` already answered in this turn is answered the same way again."""
        name = TOOL_NAMES.get(type(request))
        key = _request_key(request) if isinstance(request, ONCE_PER_TURN) else None
        if key is not None and key in self._answers:
            return self._answers[key]
        task = asyncio.ensure_future(
            self.deps.tools.call(request, deadline=self.deps.tuning.tool_timeout)
        )
        try:
            done, _ = await asyncio.wait({task}, timeout=self.deps.tuning.filler_after)
            if not done:
                await self.reply.filler(FILLERS[self.reply.fillers % len(FILLERS)])
            result = await task
        except Exception as err:  # the adapter should not raise; be safe anyway
            log.warning("tool %s failed: %s", name, type(err).__name__)
            result = ToolError(
                code=ToolErrorCode.UNAVAILABLE, message="unavailable", retryable=True
            )
        if isinstance(result, ToolError) and result.code in (
            ToolErrorCode.UNAVAILABLE,
            ToolErrorCode.INTERNAL,
        ):
            self.state.flags.tool_failures += 1
        elif key is not None and not isinstance(result, ToolError):
            self._answers[key] = result
        return result


def _request_key(request: ToolRequest) -> bytes:
    """What the request asks (its own id and time left out)."""
    fields = {
        f: getattr(request, f)
        for f in request.__struct_fields__
        if f not in ("event_id", "occurred_at")
    }
    return type(request).__name__.encode() + codec.encode(fields)
