"""A fake tools service: in memory, deterministic, with the same contracts as the real one.

Used by unit tests, the benchmark, and as a bus responder (``serve_fake_tools``) where the real
tools service is not wanted (fault tests with injected delays).
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from nats.aio.client import Client as NATS
from nats.aio.msg import Msg

from contracts import codec
from contracts.bus import settle_subscriptions
from contracts.calls import DisqualificationReason
from contracts.subjects import tool_queue, tool_subject
from contracts.tools import (
    REQUESTS,
    AppointmentBooked,
    AvailabilityResult,
    BookAppointment,
    BrokerResult,
    CallbackScheduled,
    CheckConsent,
    ConsentResult,
    DoNotCallRecorded,
    FindBroker,
    GetAvailability,
    KnowledgeResult,
    LeadLookupResult,
    LeadUpdated,
    LookupLead,
    Passage,
    QualificationResult,
    RecordDoNotCall,
    RecordQualification,
    RescheduleAppointment,
    ScheduleCallback,
    SearchKnowledge,
    Slot,
    ToolError,
    ToolErrorCode,
    ToolReply,
    ToolRequest,
    ToolResult,
    UpdateLead,
    VerificationResult,
    VerifyCaller,
)
from services.dialogue.speech.compose import when_words
from services.tools.domain.verification import compare

_TOOL_NAMES = {request: name for name, request in REQUESTS.items()}


@dataclass
class FakeLead:
    lead_id: str
    phone: str
    first_name: str | None = None
    last_name: str | None = None
    zip: str | None = None
    address: str | None = None
    state: str | None = None
    city: str | None = None
    status: str = "new"
    do_not_call: bool = False
    consent: bool = True
    broker_id: str | None = None
    gates: dict[str, bool | None] = field(
        default_factory=lambda: {"age": None, "homeowner": None, "primary_residence": None,
                                 "equity": None}
    )  # fmt: skip
    facts: dict[str, Any] = field(default_factory=dict)
    memory: dict[str, Any] = field(default_factory=dict)
    created: bool = False

    @property
    def qualified(self) -> bool:
        return all(self.gates.values())


@dataclass
class FakeBroker:
    broker_id: str
    name: str
    company: str
    nmls: str
    timezone: str
    states: tuple[str, ...]
    is_default: bool = False
    phone: str = "+12065550201"


BROKERS = (
    FakeBroker("brk-west", "Daniel Okafor", "Cascade Home Equity Partners", "2048813",
               "America/Los_Angeles", ("WA", "OR", "CA")),
    FakeBroker("brk-central", "Thomas Lindqvist", "Heartland Senior Mortgage Group", "1189430",
               "America/Chicago", ("IL", "WI", "TX")),
    FakeBroker("brk-east", "Patricia Wynne", "Atlantic Retirement Home Loans", "965217",
               "America/New_York", ("MA", "NY", "FL", "GA"), is_default=True),
)  # fmt: skip

KB = (
    (("scam", "safe", "fraud"), "scams-and-safety", "Staying safe",
     "Reverse mortgages for seniors are insured by the federal government, and every licensed "
     "loan officer has an NMLS number anyone can look up."),
    (("lose", "title", "home", "own"), "hecm-basics", "Who owns the home",
     "With a reverse mortgage you keep the title to your home, and the loan is repaid only when "
     "you sell, move out for good, or pass away."),
    (("heir", "inherit", "die", "kids", "children"), "heirs-and-estate", "Heirs",
     "Your heirs can keep the home by paying off the loan or sell it, and they never owe more "
     "than the home is worth."),
    (("how much", "money can", "amount"), "payout-options", "How much",
     "The amount depends on the age of the youngest borrower, the home's value and current "
     "interest rates, and the broker can give you an exact figure."),
    (("consultation with the broker is free",), "the-consultation", "What the consultation is",
     "The consultation is a free, no-obligation conversation with a licensed reverse mortgage "
     "broker, usually by phone."),
    (("cost", "fee"), "costs-and-fees", "Costs",
     "Costs include an upfront insurance premium, closing costs and servicing fees, which can "
     "usually be paid from the loan."),
    (("social security", "medicare"), "taxes-insurance-upkeep", "Benefits",
     "Loan proceeds generally do not affect Social Security or Medicare."),
)  # fmt: skip


class FakeTools:
    """Implements the ``Tools`` port. ``delays`` (seconds per tool name) and ``fail`` (tool
    names answered with ``unavailable``) inject trouble."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or datetime(2026, 11, 30, 16, 0, tzinfo=UTC)  # a Monday
        self.leads: dict[str, FakeLead] = {}
        self.requests: list[ToolRequest] = []
        self.appointments: dict[str, AppointmentBooked] = {}
        self.booked_slots: dict[str, str] = {}
        self.callbacks: dict[str, CallbackScheduled] = {}
        self.delays: dict[str, float] = {}
        self.fail: set[str] = set()
        self.taken: set[str] = set()

    def add_lead(self, phone: str, **fields: Any) -> FakeLead:
        lead = FakeLead(
            lead_id=fields.pop("lead_id", f"lead-{len(self.leads) + 1}"), phone=phone, **fields
        )
        self.leads[phone] = lead
        return lead

    def calls_to(self, tool: str) -> list[ToolRequest]:
        return [r for r in self.requests if _TOOL_NAMES[type(r)].value == tool]

    async def call(self, request: ToolRequest, *, deadline: float | None = None) -> ToolResult:
        name = _TOOL_NAMES[type(request)].value
        self.requests.append(request)
        if self.delays.get(name):
            await asyncio.sleep(self.delays[name])
        if name in self.fail:
            return ToolError(code=ToolErrorCode.UNAVAILABLE, message="unavailable", retryable=True)
        return self.handle(request)

    # ---- behaviour -------------------------------------------------------------------------

    def _lead(self, request: ToolRequest) -> FakeLead | None:
        s = request.session
        if s.lead_id:
            return next((x for x in self.leads.values() if x.lead_id == s.lead_id), None)
        return self.leads.get(s.caller_number or "")

    def handle(self, request: ToolRequest) -> ToolResult:
        lead = self._lead(request)
        if isinstance(request, LookupLead):
            if lead is None and request.session.caller_number:
                lead = self.add_lead(request.session.caller_number, created=True,
                                     lead_id=f"lead-{uuid.uuid4().hex[:8]}")  # fmt: skip
            if lead is None:
                return LeadLookupResult(found=False)
            return LeadLookupResult(found=not lead.created, lead_id=lead.lead_id,
                                    status=lead.status, qualified=lead.qualified,
                                    do_not_call=lead.do_not_call, broker_id=lead.broker_id,
                                    memory=dict(lead.memory), created=lead.created)  # fmt: skip
        if lead is None:
            return ToolError(code=ToolErrorCode.NOT_AUTHORIZED, message="no lead bound")
        needs_verified = isinstance(
            request, UpdateLead | RecordQualification | BookAppointment | RescheduleAppointment
        )
        if needs_verified and not request.session.verified:
            return ToolError(code=ToolErrorCode.NOT_VERIFIED, message="verify first")
        if isinstance(request, VerifyCaller):
            if lead.created:
                return VerificationResult(verified=True)
            # the tools' own rule (more than a first name), on the fake's record
            stored = {"first_name": lead.first_name, "last_name": lead.last_name,
                      "address": lead.address, "zip": lead.zip}  # fmt: skip
            said = {key: getattr(request, key) for key in stored}
            compared = compare(said, stored)
            verified = compared.verified(stored)
            return VerificationResult(verified=verified, matched=compared.matched,
                                      mismatched=compared.mismatched,
                                      needs=compared.needs(stored))  # fmt: skip
        if isinstance(request, UpdateLead):
            changed = []
            for key in ("first_name", "last_name", "zip", "state", "city"):
                if getattr(request, key):
                    setattr(lead, key, getattr(request, key))
                    changed.append(key)
            for key in ("email", "money_purpose", "timeline"):
                if getattr(request, key):
                    lead.facts[key] = getattr(request, key)
                    changed.append(key)
            return LeadUpdated(updated_fields=changed)
        if isinstance(request, RecordQualification):
            return self._qualify(lead, request)
        if isinstance(request, CheckConsent):
            ok = lead is None or (lead.consent and not lead.do_not_call)
            return ConsentResult(may_call=ok, do_not_call=bool(lead and lead.do_not_call))
        if isinstance(request, RecordDoNotCall):
            lead.do_not_call = True
            lead.status = "do_not_call"
            return DoNotCallRecorded()
        if isinstance(request, FindBroker):
            return self._broker(request, lead)
        if isinstance(request, GetAvailability):
            return AvailabilityResult(slots=self._slots(request))
        if isinstance(request, BookAppointment | RescheduleAppointment):
            return self._book(request, lead)
        if isinstance(request, ScheduleCallback):
            done = self.callbacks.get(request.idempotency_key)
            if done is None:
                done = CallbackScheduled(
                    callback_id=f"cb-{len(self.callbacks) + 1}",
                    at=request.at,
                    timezone=request.session.caller_timezone or "UTC",
                )
                self.callbacks[request.idempotency_key] = done
            return done
        if isinstance(request, SearchKnowledge):
            query = request.query.lower()
            for words, source, section, text in KB:
                if any(w in query for w in words):
                    return KnowledgeResult(answered=True, passages=[
                        Passage(text=text, source=source, section=section, score=0.8)])  # fmt: skip
            return KnowledgeResult(answered=False)
        return ToolError(code=ToolErrorCode.INVALID_ARGUMENTS, message="not supported by the fake")

    def _qualify(self, lead: FakeLead, r: RecordQualification) -> QualificationResult:
        f = lead.facts
        for key in (
            "age",
            "is_homeowner",
            "primary_residence",
            "property_value",
            "mortgage_balance",
        ):
            if getattr(r, key) is not None:
                f[key] = getattr(r, key)
        g = lead.gates
        if f.get("age") is not None:
            g["age"] = f["age"] >= 62
        if f.get("is_homeowner") is not None:
            g["homeowner"] = f["is_homeowner"]
        if f.get("primary_residence") is not None:
            g["primary_residence"] = f["primary_residence"]
        if f.get("property_value") is not None and f.get("mortgage_balance") is not None:
            g["equity"] = f["mortgage_balance"] <= 0.6 * f["property_value"]
        reasons = {"age": DisqualificationReason.AGE_BELOW_62,
                   "homeowner": DisqualificationReason.NOT_HOMEOWNER,
                   "primary_residence": DisqualificationReason.NOT_PRIMARY_RESIDENCE,
                   "equity": DisqualificationReason.INSUFFICIENT_EQUITY}  # fmt: skip
        reason = next((reasons[k] for k, v in g.items() if v is False), None)
        missing = [k for k, v in g.items() if v is None]
        qualified: bool | None = False if reason else (True if not missing else None)
        if qualified:
            lead.status = "qualified"
        return QualificationResult(
            qualified=qualified, gates=dict(g), reason=reason, missing=missing
        )

    def _broker(self, r: FindBroker, lead: FakeLead | None) -> BrokerResult:
        state = r.state or (lead.state if lead else None)
        if r.zip and not state:
            state = {"9": "WA", "6": "IL", "0": "MA", "1": "NY", "3": "FL"}.get(r.zip[0])
        broker = next((b for b in BROKERS if state in b.states), BROKERS[-1])
        if lead:
            lead.broker_id = broker.broker_id
        return BrokerResult(broker_id=broker.broker_id, name=broker.name, company=broker.company,
                            nmls=broker.nmls, timezone=broker.timezone,
                            is_default=broker.is_default)  # fmt: skip

    def _slots(self, r: GetAvailability) -> list[Slot]:
        broker = next((b for b in BROKERS if b.broker_id == r.broker_id), BROKERS[-1])
        zone = ZoneInfo(broker.timezone)
        caller_zone = ZoneInfo(r.session.caller_timezone or broker.timezone)
        days = {d.value for d in r.days}
        out: list[Slot] = []
        start = self.now.astimezone(zone).replace(minute=0, second=0, microsecond=0)
        for day in range(1, 15):
            date = (start + timedelta(days=day)).date()
            if date.weekday() >= 5:
                continue
            if days and ("mon", "tue", "wed", "thu", "fri")[date.weekday()] not in days:
                continue
            for hour in (10, 11, 13, 14, 15, 16):
                if r.part_of_day.value == "morning" and hour >= 12:
                    continue
                if r.part_of_day.value == "afternoon" and hour < 12:
                    continue
                begin = datetime(date.year, date.month, date.day, hour, tzinfo=zone)
                local = begin.astimezone(caller_zone).strftime("%H:%M")
                if (r.starts_from and local < r.starts_from) or (
                    r.starts_before and local >= r.starts_before
                ):
                    continue  # outside the hours the caller said (their clock)
                slot_id = f"{broker.broker_id}@{begin.astimezone(UTC).strftime('%Y%m%dT%H%M')}"
                if slot_id in self.booked_slots or slot_id in self.taken:
                    continue
                out.append(
                    Slot(
                        slot_id=slot_id,
                        broker_id=broker.broker_id,
                        start=begin.astimezone(UTC),
                        end=(begin + timedelta(minutes=45)).astimezone(UTC),
                        broker_timezone=broker.timezone,
                        caller_timezone=str(caller_zone),
                        caller_local=when_words(begin.astimezone(caller_zone)),
                    )
                )
                if len(out) >= r.limit:
                    return out
        return out

    def _book(self, r: BookAppointment | RescheduleAppointment, lead: FakeLead) -> ToolResult:
        if not lead.qualified:
            return ToolError(code=ToolErrorCode.NOT_QUALIFIED, message="not qualified")
        done = self.appointments.get(r.idempotency_key)
        if done is not None:
            return done
        if r.slot_id in self.taken or r.slot_id in self.booked_slots:
            return ToolError(code=ToolErrorCode.SLOT_TAKEN, message="that time was just taken")
        broker_id, _, stamp = r.slot_id.partition("@")
        broker = next(b for b in BROKERS if b.broker_id == broker_id)
        start = datetime.strptime(stamp, "%Y%m%dT%H%M").replace(tzinfo=UTC)
        zone = ZoneInfo(r.session.caller_timezone or broker.timezone)
        booked = AppointmentBooked(
            appointment_id=f"appt-{len(self.appointments) + 1}", broker_id=broker_id, start=start,
            end=start + timedelta(minutes=45), broker_timezone=broker.timezone,
            caller_timezone=str(zone), caller_local=when_words(start.astimezone(zone)),
        )  # fmt: skip
        self.appointments[r.idempotency_key] = booked
        self.booked_slots[r.slot_id] = booked.appointment_id
        lead.status = "appointment_set"
        return booked


async def serve_fake_tools(nc: NATS, tools: FakeTools) -> list[Any]:
    """Answer ``tools.<tool>`` on the bus with the fake (queue groups like the real one)."""
    subs = []
    for name, request_type in REQUESTS.items():

        async def answer(msg: Msg, request_type: type[ToolRequest] = request_type) -> None:
            request = codec.decode(msg.data, request_type)
            result = await tools.call(request)
            reply = ToolReply(request_id=request.event_id, result=result)  # type: ignore[arg-type]
            await msg.respond(codec.encode(reply))

        subs.append(
            await nc.subscribe(tool_subject(name.value), queue=tool_queue(name.value), cb=answer)
        )
    await settle_subscriptions(nc)  # the dialogue's first request comes on its own connection
    return subs
