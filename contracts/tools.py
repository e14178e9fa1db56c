"""Tool requests (``tools.<tool>``, request/reply), their typed results, and the audit event.

Every request carries the call's :class:`ToolSession`, filled in by the dialogue service from
its own state: the LLM never supplies a lead id. Every reply is either the tool's result or a
:class:`ToolError` whose ``message`` is safe to say to the caller.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import msgspec

from contracts.base import (
    E164,
    CallEvent,
    CallId,
    Contract,
    Message,
    NonEmptyStr,
    UtcDateTime,
)
from contracts.calls import DisqualificationReason

Dollars = Annotated[int, msgspec.Meta(ge=0, le=100_000_000)]
Age = Annotated[int, msgspec.Meta(ge=18, le=120)]
Zip = Annotated[str, msgspec.Meta(pattern=r"^[0-9]{5}$")]
State = Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{2}$")]
ShortText = Annotated[str, msgspec.Meta(max_length=500)]


class ToolName(StrEnum):
    LOOKUP_LEAD = "lookup_lead"
    VERIFY_CALLER = "verify_caller"
    UPDATE_LEAD = "update_lead"
    RECORD_QUALIFICATION = "record_qualification"
    CHECK_CONSENT = "check_consent"
    RECORD_DO_NOT_CALL = "record_do_not_call"
    FIND_BROKER = "find_broker"
    GET_AVAILABILITY = "get_availability"
    BOOK_APPOINTMENT = "book_appointment"
    CANCEL_APPOINTMENT = "cancel_appointment"
    RESCHEDULE_APPOINTMENT = "reschedule_appointment"
    SCHEDULE_CALLBACK = "schedule_callback"
    SEARCH_KNOWLEDGE = "search_knowledge"


class Weekday(StrEnum):
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"


class PartOfDay(StrEnum):
    MORNING = "morning"
    AFTERNOON = "afternoon"
    ANY = "any"


class ToolErrorCode(StrEnum):
    INVALID_ARGUMENTS = "invalid_arguments"
    NOT_FOUND = "not_found"
    NOT_AUTHORIZED = "not_authorized"
    NOT_VERIFIED = "not_verified"
    SLOT_TAKEN = "slot_taken"
    UNAVAILABLE = "unavailable"
    INTERNAL = "internal"


class ToolSession(Contract, kw_only=True, frozen=True):
    """Who this request is for, from the dialogue's own call state (never from the LLM)."""

    call_id: CallId
    lead_id: str | None = None
    verified: bool = False
    caller_number: E164 | None = None
    caller_timezone: str | None = None


class ToolRequest(Message, kw_only=True, frozen=True):
    session: ToolSession


# ---- requests ------------------------------------------------------------------------------


class LookupLead(ToolRequest, kw_only=True, frozen=True):
    """Find the lead for the session's caller number."""


class VerifyCaller(ToolRequest, kw_only=True, frozen=True):
    """Compare what the caller said with the record; never returns the stored values."""

    first_name: str | None = None
    last_name: str | None = None
    address: str | None = None
    zip: Zip | None = None


class UpdateLead(ToolRequest, kw_only=True, frozen=True):
    """Store facts the caller gave about themselves."""

    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    address: str | None = None
    city: str | None = None
    state: State | None = None
    zip: Zip | None = None
    age: Age | None = None
    property_value: Dollars | None = None
    mortgage_balance: Dollars | None = None
    money_purpose: ShortText | None = None
    timeline: ShortText | None = None


class RecordQualification(ToolRequest, kw_only=True, frozen=True):
    """Record what the caller said for the four gates; unknown stays ``None``."""

    age: Age | None = None
    is_homeowner: bool | None = None
    primary_residence: bool | None = None
    property_value: Dollars | None = None
    mortgage_balance: Dollars | None = None


class CheckConsent(ToolRequest, kw_only=True, frozen=True):
    """May we call this lead (consent, not do-not-call)?"""


class RecordDoNotCall(ToolRequest, kw_only=True, frozen=True):
    reason: ShortText = "caller asked us to stop calling"


class FindBroker(ToolRequest, kw_only=True, frozen=True):
    zip: Zip | None = None
    city: str | None = None
    state: State | None = None


class GetAvailability(ToolRequest, kw_only=True, frozen=True):
    """Open slots over the next 14 days, soonest first."""

    broker_id: str | None = None
    days: list[Weekday] = msgspec.field(default_factory=list)
    part_of_day: PartOfDay = PartOfDay.ANY
    limit: Annotated[int, msgspec.Meta(ge=1, le=10)] = 5


class BookAppointment(ToolRequest, kw_only=True, frozen=True):
    slot_id: NonEmptyStr
    idempotency_key: NonEmptyStr


class CancelAppointment(ToolRequest, kw_only=True, frozen=True):
    appointment_id: str | None = None
    reason: ShortText = ""


class RescheduleAppointment(ToolRequest, kw_only=True, frozen=True):
    slot_id: NonEmptyStr
    idempotency_key: NonEmptyStr
    appointment_id: str | None = None


class ScheduleCallback(ToolRequest, kw_only=True, frozen=True):
    at: UtcDateTime
    idempotency_key: NonEmptyStr
    reason: ShortText = ""


class SearchKnowledge(ToolRequest, kw_only=True, frozen=True):
    query: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
    top_k: Annotated[int, msgspec.Meta(ge=1, le=10)] = 3


# ---- results -------------------------------------------------------------------------------


class ToolResult(Contract, kw_only=True, frozen=True, tag_field="kind"):
    """Base of every result; ``kind`` tells them apart on the wire."""


class ToolError(ToolResult, kw_only=True, frozen=True, tag="error"):
    code: ToolErrorCode
    message: str
    retryable: bool = False


class LeadLookupResult(ToolResult, kw_only=True, frozen=True, tag="lead"):
    """No stored PII before verification: only what the dialogue needs to route the call."""

    found: bool
    lead_id: str | None = None
    status: str | None = None
    qualified: bool = False
    do_not_call: bool = False
    broker_id: str | None = None
    memory: dict[str, Any] = msgspec.field(default_factory=dict)


class VerificationResult(ToolResult, kw_only=True, frozen=True, tag="verification"):
    verified: bool
    matched: list[str] = msgspec.field(default_factory=list)
    mismatched: list[str] = msgspec.field(default_factory=list)


class LeadUpdated(ToolResult, kw_only=True, frozen=True, tag="lead_updated"):
    updated_fields: list[str]


class QualificationResult(ToolResult, kw_only=True, frozen=True, tag="qualification"):
    qualified: bool | None
    gates: dict[str, bool | None]
    reason: DisqualificationReason | None = None
    missing: list[str] = msgspec.field(default_factory=list)


class ConsentResult(ToolResult, kw_only=True, frozen=True, tag="consent"):
    may_call: bool
    do_not_call: bool
    reason: str = ""


class DoNotCallRecorded(ToolResult, kw_only=True, frozen=True, tag="do_not_call"):
    recorded: bool = True


class BrokerResult(ToolResult, kw_only=True, frozen=True, tag="broker"):
    broker_id: str
    name: str
    company: str
    nmls: str
    timezone: str
    is_default: bool


class Slot(Contract, kw_only=True, frozen=True):
    slot_id: str
    broker_id: str
    start: UtcDateTime
    end: UtcDateTime
    broker_timezone: str
    caller_timezone: str
    caller_local: str


class AvailabilityResult(ToolResult, kw_only=True, frozen=True, tag="availability"):
    slots: list[Slot]


class AppointmentBooked(ToolResult, kw_only=True, frozen=True, tag="appointment"):
    appointment_id: str
    broker_id: str
    start: UtcDateTime
    end: UtcDateTime
    broker_timezone: str
    caller_timezone: str
    caller_local: str


class AppointmentCancelled(ToolResult, kw_only=True, frozen=True, tag="appointment_cancelled"):
    appointment_id: str


class CallbackScheduled(ToolResult, kw_only=True, frozen=True, tag="callback"):
    callback_id: str
    at: UtcDateTime
    timezone: str


class Passage(Contract, kw_only=True, frozen=True):
    text: str
    source: str
    section: str
    score: float


class KnowledgeResult(ToolResult, kw_only=True, frozen=True, tag="knowledge"):
    answered: bool
    passages: list[Passage] = msgspec.field(default_factory=list)


class ToolReply(Message, kw_only=True, frozen=True):
    """The reply to any tool request: the request's id, then a result or a ``ToolError``."""

    request_id: str
    result: (
        ToolError
        | LeadLookupResult
        | VerificationResult
        | LeadUpdated
        | QualificationResult
        | ConsentResult
        | DoNotCallRecorded
        | BrokerResult
        | AvailabilityResult
        | AppointmentBooked
        | AppointmentCancelled
        | CallbackScheduled
        | KnowledgeResult
    )


class ToolInvoked(CallEvent, kw_only=True, frozen=True):
    """Audit of one tool call (``calls.<id>.tool``), published by the tools service."""

    tool: ToolName
    request_id: str
    args: dict[str, Any] = msgspec.field(default_factory=dict)
    result: dict[str, Any] | None = None
    error: ToolError | None = None
    latency_ms: Annotated[float, msgspec.Meta(ge=0)]


#: Request type per tool: the payload on ``tools.<tool>``.
REQUESTS: dict[ToolName, type[ToolRequest]] = {
    ToolName.LOOKUP_LEAD: LookupLead,
    ToolName.VERIFY_CALLER: VerifyCaller,
    ToolName.UPDATE_LEAD: UpdateLead,
    ToolName.RECORD_QUALIFICATION: RecordQualification,
    ToolName.CHECK_CONSENT: CheckConsent,
    ToolName.RECORD_DO_NOT_CALL: RecordDoNotCall,
    ToolName.FIND_BROKER: FindBroker,
    ToolName.GET_AVAILABILITY: GetAvailability,
    ToolName.BOOK_APPOINTMENT: BookAppointment,
    ToolName.CANCEL_APPOINTMENT: CancelAppointment,
    ToolName.RESCHEDULE_APPOINTMENT: RescheduleAppointment,
    ToolName.SCHEDULE_CALLBACK: ScheduleCallback,
    ToolName.SEARCH_KNOWLEDGE: SearchKnowledge,
}
