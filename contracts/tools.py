"""Tool requests (``tools.<tool>``, request/reply), their typed results, and the audit event.

Every request carries the call's :class:`ToolSession`, filled in by the dialogue service from
its own state: the LLM never supplies a lead id. Every reply is either the tool's result or a
:class:`ToolError` whose ``message`` is safe to say to the caller.

The docstring of each request struct (and the ``description`` of each of its fields) is the
LLM's contract: the dialogue builds the LLM's tool schemas from them, leaving out ``session``
and the message identity fields.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import msgspec

from contracts.base import (
    CallEvent,
    CallId,
    Contract,
    Message,
    UtcDateTime,
)
from contracts.calls import DisqualificationReason

Dollars = Annotated[
    int, msgspec.Meta(ge=0, le=100_000_000, description="Whole dollars, e.g. 400000.")
]
Age = Annotated[int, msgspec.Meta(ge=18, le=120, description="An age in years.")]
Zip = Annotated[str, msgspec.Meta(pattern=r"^[0-9]{5}$", description="Five-digit ZIP code.")]
State = Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{2}$", description="Two-letter state code.")]
ShortText = Annotated[str, msgspec.Meta(max_length=500)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=100, description="As said.")]
City = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
Email = Annotated[str, msgspec.Meta(max_length=254)]
Address = Annotated[str, msgspec.Meta(max_length=500, description="Street, e.g. '12 Oak St'.")]
MoneyPurpose = Annotated[str, msgspec.Meta(max_length=500, description="What the money is for.")]
Timeline = Annotated[str, msgspec.Meta(max_length=500, description="When they need it.")]
PrimaryResidence = Annotated[bool, msgspec.Meta(description="They live there most of the year.")]
BrokerId = Annotated[str, msgspec.Meta(description="From find_broker; default: their broker.")]
SlotId = Annotated[
    str, msgspec.Meta(min_length=1, max_length=64, description="slot_id from get_availability.")
]
IdempotencyKey = Annotated[
    str, msgspec.Meta(min_length=1, max_length=128, description="New per attempt; same on retry.")
]
#: A phone number as the telephony layer gave it, in any common format; the tools service
#: normalises it to E.164 and refuses anything that is not a dialable number.
PhoneText = Annotated[
    str,
    msgspec.Meta(
        min_length=1,
        max_length=40,
        description="Caller ID in any common format (E.164 preferred); normalised by tools.",
    ),
]


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
    """In the caller's own time: morning is before noon, afternoon from noon."""

    MORNING = "morning"
    AFTERNOON = "afternoon"
    ANY = "any"


Days = Annotated[list[Weekday], msgspec.Meta(description="Preferred weekdays; empty means any.")]
LocalTime = Annotated[
    str,
    msgspec.Meta(
        pattern=r"^(?:[01]\d|2[0-3]):[0-5]\d$",
        description="A time of day on the caller's own clock, 24-hour HH:MM.",
    ),
]


class ToolErrorCode(StrEnum):
    INVALID_ARGUMENTS = "invalid_arguments"  # ``field`` names the argument
    NOT_FOUND = "not_found"
    NOT_AUTHORIZED = "not_authorized"  # not this call's lead, or another call's slot
    NOT_VERIFIED = "not_verified"  # verify the caller first
    NOT_QUALIFIED = "not_qualified"  # booking needs all four gates passed
    SLOT_TAKEN = "slot_taken"  # ``alternatives`` carries fresh slots
    CONFLICT = "conflict"  # e.g. the lead already has an upcoming appointment
    UNAVAILABLE = "unavailable"  # busy or a dependency is down: retry later
    TIMEOUT = "timeout"  # the tool did not finish within its deadline
    INTERNAL = "internal"


class ToolSession(Contract, kw_only=True, frozen=True):
    """Who this request is for, from the dialogue's own call state (never from the LLM).

    The session is a claim: the tools service checks it against its own record of the call
    (the lead bound by ``lookup_lead``, verified by ``verify_caller``) on every request.
    """

    call_id: CallId
    lead_id: str | None = None
    verified: bool = False
    caller_number: PhoneText | None = None
    caller_timezone: str | None = None


class ToolRequest(Message, kw_only=True, frozen=True):
    session: ToolSession


# ---- requests ------------------------------------------------------------------------------


class LookupLead(ToolRequest, kw_only=True, frozen=True):
    """Find who is calling, from the caller ID of this call; takes no arguments.

    Returns whether we know the caller, their status, whether they are qualified or on the
    do-not-call list, the assigned broker, and what we remember from earlier calls. Never
    returns their name, address or other personal details: ask the caller to say them and use
    verify_caller to compare. A caller we have never heard of gets a new record, already
    verified for this call.
    """


class VerifyCaller(ToolRequest, kw_only=True, frozen=True):
    """Check that the caller is the person on record, from what the caller just said.

    Pass only what the caller said (for example their first and last name, and their ZIP code
    or street address); the answer says which fields matched and which did not, never the
    stored values. A first name alone is not enough: the full name, or a name with the ZIP code
    or street address (a record that holds less asks for what it has). An answer that matches
    but is not yet enough is no failed attempt: ``needs`` says what would complete it. After
    three failed attempts (a mismatch) within fifteen minutes, verification is refused.
    """

    first_name: Name | None = None
    last_name: Name | None = None
    address: Address | None = None
    zip: Zip | None = None


class UpdateLead(ToolRequest, kw_only=True, frozen=True):
    """Save facts the caller told you about themselves; leave out anything they did not say.

    Needs a verified caller. Dollar amounts are whole dollars (a caller's "about four hundred
    thousand" is 400000). State is the two-letter code, e.g. "WA".
    """

    first_name: Name | None = None
    last_name: Name | None = None
    email: Email | None = None
    address: Address | None = None
    city: City | None = None
    state: State | None = None
    zip: Zip | None = None
    age: Age | None = None
    property_value: Dollars | None = None
    mortgage_balance: Dollars | None = None
    money_purpose: MoneyPurpose | None = None
    timeline: Timeline | None = None


class RecordQualification(ToolRequest, kw_only=True, frozen=True):
    """Record the caller's answers to the four qualification questions; unknown stays empty.

    The gates: age 62 or older (the youngest borrower), owns the home, it is their primary
    residence, and enough equity (home value and mortgage balance, rough numbers are fine).
    ``age`` is the caller's own; ``co_borrower_age`` the other owner's who lives there (a
    spouse or partner), if any: the age gate is on the younger. Answers already on record are
    kept when left out. The result says which gates passed, which are still missing, and the
    reason when a gate failed.
    """

    age: Age | None = None
    co_borrower_age: Age | None = None
    is_homeowner: bool | None = None
    primary_residence: PrimaryResidence | None = None
    property_value: Dollars | None = None
    mortgage_balance: Dollars | None = None


class CheckConsent(ToolRequest, kw_only=True, frozen=True):
    """May we call this lead now? Checks consent, the do-not-call list and calling hours."""


class RecordDoNotCall(ToolRequest, kw_only=True, frozen=True):
    """The caller asked us to stop calling: record it; it is honoured from now on."""

    reason: ShortText = "caller asked us to stop calling"


class FindBroker(ToolRequest, kw_only=True, frozen=True):
    """Find the licensed broker for a location (ZIP, or city and state, or state).

    With no arguments, uses the location on the caller's record; with none on record, the
    default broker.
    """

    zip: Zip | None = None
    city: City | None = None
    state: State | None = None


class GetAvailability(ToolRequest, kw_only=True, frozen=True):
    """Open consultation times over the next 14 days, soonest first.

    Honours the caller's preferred weekdays, morning/afternoon and hours (``starts_from`` /
    ``starts_before``: "after lunch", "not before ten") in the caller's own time across all 14
    days. Each slot has a ``slot_id`` to pass to book_appointment and a
    ``caller_local`` text to read to the caller. Offer one or two of them.
    """

    broker_id: BrokerId | None = None
    days: Days = msgspec.field(default_factory=list)
    part_of_day: PartOfDay = PartOfDay.ANY
    #: the slot starts at or after this time of the caller's day
    starts_from: LocalTime | None = None
    #: the slot starts before this time of the caller's day
    starts_before: LocalTime | None = None
    limit: Annotated[int, msgspec.Meta(ge=1, le=10)] = 5


class BookAppointment(ToolRequest, kw_only=True, frozen=True):
    """Book the consultation at a slot that get_availability offered in this call.

    Needs a verified, qualified caller. Use a new idempotency_key per booking attempt and the
    same one when retrying. If the time was just taken, the error carries alternatives.
    """

    slot_id: SlotId
    idempotency_key: IdempotencyKey


class CancelAppointment(ToolRequest, kw_only=True, frozen=True):
    """Cancel the caller's own upcoming appointment (the next one when no id is given)."""

    appointment_id: str | None = None
    reason: ShortText = ""


class RescheduleAppointment(ToolRequest, kw_only=True, frozen=True):
    """Move the caller's own upcoming appointment to a slot get_availability offered."""

    slot_id: SlotId
    idempotency_key: IdempotencyKey
    appointment_id: str | None = None


class ScheduleCallback(ToolRequest, kw_only=True, frozen=True):
    """Arrange for us to call the caller back at a time they chose.

    ``at`` is an ISO 8601 time with the caller's UTC offset, e.g. 2026-12-02T15:00:00-05:00;
    it must be in the next 30 days, between 8 AM and 9 PM the caller's time.
    """

    at: UtcDateTime
    idempotency_key: IdempotencyKey
    reason: ShortText = ""


class SearchKnowledge(ToolRequest, kw_only=True, frozen=True):
    """Search the reverse-mortgage knowledge base with the caller's question.

    Answer in one or two sentences from the passages; when ``answered`` is false, say the
    ``fallback`` instead of guessing.
    """

    query: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
    top_k: Annotated[int, msgspec.Meta(ge=1, le=10)] = 3


# ---- results -------------------------------------------------------------------------------


class Slot(Contract, kw_only=True, frozen=True):
    """An open time, issued to this call only: ``slot_id`` is refused in any other call."""

    slot_id: str
    broker_id: str
    start: UtcDateTime
    end: UtcDateTime
    broker_timezone: str
    caller_timezone: str
    caller_local: str


class ToolResult(Contract, kw_only=True, frozen=True, tag_field="kind"):
    """Base of every result; ``kind`` tells them apart on the wire."""


class ToolError(ToolResult, kw_only=True, frozen=True, tag="error"):
    """A refusal or failure. ``message`` is safe to say to the caller; ``detail`` and ``field``
    are for the dialogue (which argument was wrong and why); ``alternatives`` are fresh slots
    when the chosen one was just taken."""

    code: ToolErrorCode
    message: str
    retryable: bool = False
    field: str | None = None
    detail: str = ""
    alternatives: list[Slot] = msgspec.field(default_factory=list)


class LeadLookupResult(ToolResult, kw_only=True, frozen=True, tag="lead"):
    """No stored PII before verification: only what the dialogue needs to route the call.

    ``memory`` holds routing facts before verification (call count, last outcome, whether an
    appointment is upcoming) and the fuller memory (purpose, timeline, the appointment's time)
    once the caller is verified. ``created``: a new lead was made for an unknown caller.
    """

    found: bool
    lead_id: str | None = None
    status: str | None = None
    qualified: bool = False
    do_not_call: bool = False
    broker_id: str | None = None
    memory: dict[str, Any] = msgspec.field(default_factory=dict)
    created: bool = False
    verified: bool = False


class VerificationResult(ToolResult, kw_only=True, frozen=True, tag="verification"):
    """``needs``: when nothing mismatched but not enough matched yet, the fields (names only,
    never values) any one of which would complete verification — ask the caller for one."""

    verified: bool
    matched: list[str] = msgspec.field(default_factory=list)
    mismatched: list[str] = msgspec.field(default_factory=list)
    attempts_left: int = 0
    needs: list[str] = msgspec.field(default_factory=list)


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
    """``matched_by``: zip, city, state or default."""

    broker_id: str
    name: str
    company: str
    nmls: str
    timezone: str
    is_default: bool
    matched_by: str = ""
    appointment_minutes: int = 45
    #: the broker's business line, for a transfer (never a number the LLM made up)
    phone: str | None = None


class AvailabilityResult(ToolResult, kw_only=True, frozen=True, tag="availability"):
    slots: list[Slot]


class AppointmentBooked(ToolResult, kw_only=True, frozen=True, tag="appointment"):
    """A booked (or rescheduled: ``replaces_id``) appointment; ``caller_local`` is the time
    in the caller's words and timezone. ``replayed``: an earlier booking with the same
    idempotency key."""

    appointment_id: str
    broker_id: str
    start: UtcDateTime
    end: UtcDateTime
    broker_timezone: str
    caller_timezone: str
    caller_local: str
    replaces_id: str | None = None
    replayed: bool = False


class AppointmentCancelled(ToolResult, kw_only=True, frozen=True, tag="appointment_cancelled"):
    appointment_id: str


class CallbackScheduled(ToolResult, kw_only=True, frozen=True, tag="callback"):
    callback_id: str
    at: UtcDateTime
    timezone: str
    caller_local: str = ""


class Passage(Contract, kw_only=True, frozen=True):
    text: str
    source: str
    section: str
    score: float


class KnowledgeResult(ToolResult, kw_only=True, frozen=True, tag="knowledge"):
    """``answered`` is false when nothing is relevant enough: say ``fallback``, don't guess."""

    answered: bool
    passages: list[Passage] = msgspec.field(default_factory=list)
    fallback: str = ""


#: Every result a tool can answer with.
ToolOutcome = (
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


class ToolReply(Message, kw_only=True, frozen=True):
    """The reply to any tool request: the request's id, then a result or a ``ToolError``."""

    request_id: str
    result: ToolOutcome


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
