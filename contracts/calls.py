"""Call lifecycle and dialogue state:
``calls.<id>.started|state|outcome|ended|analyzed|recording``."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import msgspec

from contracts.base import E164, CallEvent, NonNegInt, Seq


class CallDirection(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class CallType(StrEnum):
    INBOUND_QUALIFIED = "inbound-qualified"
    INBOUND_UNQUALIFIED = "inbound-unqualified"
    INBOUND_UNKNOWN = "inbound-unknown"
    OUTBOUND_WARM = "outbound-warm"
    OUTBOUND_COLD = "outbound-cold"


class Outcome(StrEnum):
    """Exactly one per call."""

    BOOKED = "booked"
    CALLBACK_SCHEDULED = "callback_scheduled"
    EMAIL_REQUESTED = "email_requested"
    NOT_QUALIFIED = "not_qualified"
    NOT_INTERESTED = "not_interested"
    BAD_TIMING = "bad_timing"
    ALREADY_WORKING_WITH_LENDER = "already_working_with_lender"
    WRONG_PERSON = "wrong_person"
    DO_NOT_CALL = "do_not_call"
    CALLER_HUNG_UP = "caller_hung_up"
    TRANSFERRED = "transferred"
    ERROR = "error"
    NO_RESPONSE = "no_response"


class DisqualificationReason(StrEnum):
    AGE_BELOW_62 = "age_below_62"
    NOT_HOMEOWNER = "not_homeowner"
    NOT_PRIMARY_RESIDENCE = "not_primary_residence"
    INSUFFICIENT_EQUITY = "insufficient_equity"


class EndReason(StrEnum):
    CALLER_HUNG_UP = "caller_hung_up"
    AGENT_ENDED = "agent_ended"
    TRANSFERRED = "transferred"
    ERROR = "error"
    TIMEOUT = "timeout"
    #: the gateway never said ``ended``; LiveKit's ``room_finished`` webhook closed the call
    GATEWAY_LOST = "gateway_lost"


class Node(StrEnum):
    """Nodes of the conversation graph."""

    GREET = "greet"
    VERIFY = "verify"
    QUALIFY = "qualify"
    ANSWER = "answer"
    OBJECTIONS = "objections"
    BOOK = "book"
    EXIT = "exit"
    WRONG_PERSON = "wrong_person"


class CallStarted(CallEvent, kw_only=True, frozen=True):
    """The gateway answered (or placed) a call. Published on ``calls.<id>.started``."""

    direction: CallDirection
    room: str | None = None
    from_number: E164 | None = None
    to_number: E164 | None = None
    template_id: str | None = None
    call_type: CallType | None = None


class CallStateChanged(CallEvent, kw_only=True, frozen=True):
    """The dialogue moved between nodes or set flags (``calls.<id>.state``).

    ``memory`` is a patch for the caller's conversation memory, deep-merged by persistence.
    """

    seq: Seq
    node: Node
    previous: Node | None = None
    flags: dict[str, Any] = msgspec.field(default_factory=dict)
    memory: dict[str, Any] | None = None
    lead_id: str | None = None
    prompt_version_id: str | None = None


class OutcomeRecorded(CallEvent, kw_only=True, frozen=True):
    """The dialogue's one outcome for the call, with its summary (``calls.<id>.outcome``)."""

    outcome: Outcome
    disqualification_reason: DisqualificationReason | None = None
    summary: str = ""
    facts: dict[str, Any] = msgspec.field(default_factory=dict)
    lead_id: str | None = None
    #: LLM tokens the dialogue used in this call (prompt + completion), for its cost
    llm_tokens: NonNegInt = 0


class CallEnded(CallEvent, kw_only=True, frozen=True):
    """The call is over (``calls.<id>.ended``)."""

    reason: EndReason
    duration_ms: NonNegInt
    outcome: Outcome | None = None
    detail: Annotated[str, msgspec.Meta(max_length=500)] = ""


class RecordingStored(CallEvent, kw_only=True, frozen=True):
    """The call's recording is in Storage (``calls.<id>.recording``, from the gateway, after
    the upload; the call has usually ended by then).

    Stereo Ogg/Opus: channel 0 the caller, channel 1 Barbara as played. ``offset_ms`` is where
    the call's clock (a transcript segment's ``offset_ms``) is in the recording: a segment is
    heard at ``segment.offset_ms - offset_ms`` into the audio (negative: recording started
    after the call's clock). ``generated`` marks a simulated (text) call's stand-in audio."""

    bucket: Annotated[str, msgspec.Meta(min_length=1, max_length=63)]
    #: ``contracts.recordings.object_path``: nothing else (no ``..``, no other folder)
    path: Annotated[
        str, msgspec.Meta(pattern=r"^calls/[0-9]{4}/[0-9]{2}/[A-Za-z0-9_-]{1,80}\.ogg$")
    ]
    content_type: Annotated[str, msgspec.Meta(max_length=100)] = "audio/ogg"
    duration_ms: NonNegInt
    offset_ms: int = 0
    size_bytes: NonNegInt
    sha256: Annotated[str, msgspec.Meta(pattern="^[0-9a-f]{64}$")]
    generated: bool = False


LiveKitName = Annotated[str, msgspec.Meta(max_length=64, pattern=r"^[A-Za-z0-9_.:-]*$")]


class LiveKitEventReceived(CallEvent, kw_only=True, frozen=True):
    """A verified LiveKit webhook about the call's room (``calls.<id>.livekit``, from the
    gateway's receiver; the event id ``lk_<LiveKit's id>`` dedupes copies and retries).
    Only what is not personal: the event and LiveKit's ids and kinds — never a participant's
    identity, name, attributes or metadata (a SIP caller's identity holds their number)."""

    kind: Annotated[str, msgspec.Meta(min_length=1, max_length=40, pattern=r"^[a-z_]+$")]
    livekit_event_id: LiveKitName
    room_sid: LiveKitName = ""
    #: when LiveKit made the event (unix seconds)
    created_at: NonNegInt = 0
    participant_sid: LiveKitName | None = None
    participant_kind: LiveKitName | None = None  # SIP, AGENT, STANDARD, EGRESS …
    track_type: LiveKitName | None = None  # AUDIO, VIDEO, DATA
    egress_id: LiveKitName | None = None
    egress_status: LiveKitName | None = None  # EGRESS_COMPLETE, EGRESS_FAILED …
    room_end_reason: LiveKitName | None = None


Score = Annotated[int, msgspec.Meta(ge=0, le=10)]


class Scores(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    """The six 0–10 scores of a call's evaluation."""

    opening: Score
    property_discussion: Score
    objection_handling: Score
    booking_attempt: Score
    tone: Score
    overall_flow: Score


class CallAnalyzed(CallEvent, kw_only=True, frozen=True):
    """Post-call analysis of an ended call (``calls.<id>.analyzed``), published by persistence
    once per call. ``evaluator`` names what produced it: ``deterministic-v1`` (from the call's
    events) or ``llm:<model>``. ``cost_cents``: minutes × the template's cost per minute plus
    LLM tokens × the configured price."""

    evaluator: str
    scores: Scores
    summary: str = ""
    strengths: list[str] = msgspec.field(default_factory=list)
    weaknesses: list[str] = msgspec.field(default_factory=list)
    red_flags: list[str] = msgspec.field(default_factory=list)
    facts: dict[str, Any] = msgspec.field(default_factory=dict)
    prompt_version_id: str | None = None
    cost_cents: float = 0.0
    llm_tokens: NonNegInt = 0
