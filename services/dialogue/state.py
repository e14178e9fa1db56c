"""Per-call dialogue state: what the graph routes on, what the caller told us, what was said.

It lives in a NATS KV bucket (one key per call, revision-checked writes), so any dialogue copy
can take the next turn. Flags are set by code from tool results, never from the LLM's words.
Contains PII (names, ages, amounts): never log it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from contracts.calls import CallDirection, CallType, Node
from contracts.conversation import Action
from services.dialogue.language.heard import Expect

#: How many recent turn ids are remembered for de-duplication.
DONE_TURNS_KEPT = 64
#: How many history items are kept (the LLM sees the most recent ones).
HISTORY_KEPT = 40


class Flags(msgspec.Struct, kw_only=True):
    """What the router reads. Set only by code: tool results and rule-based intents."""

    identified: bool = False
    verified: bool = False
    #: the caller asked Barbara to hold on ("let me get a pen"): she waits, asks nothing
    holding: bool = False
    #: a call back was set for a caller who gave no name: asked once whom to ask for
    callback_name_asked: bool = False
    #: qualified before the home's value was said: "good news" waits until it is
    good_news_due: bool = False
    located: bool = False
    verify_attempts: int = 0
    #: a known lead matched on part of who they are (a first name): what the tools said would
    #: complete it (field names only: "last_name", "zip", …), to ask for
    verify_needs: list[str] = msgspec.field(default_factory=list)
    #: the caller would rather not (or could not) say more: no more asking; helped unverified
    verify_declined: bool = False
    wrong_person: bool = False
    #: the person we want no longer lives there ("she sold us the house and moved")
    owner_moved: bool = False
    waiting_for_person: bool = False
    qualified: bool | None = None
    gates: dict[str, bool | None] = msgspec.field(default_factory=dict)
    disqualification_reason: str | None = None
    ready_to_book: bool = False
    booking_offered: bool = False
    booking_declined: bool = False
    good_time_asked: bool = False
    silences: int = 0
    objection: str | None = None
    booked: bool = False
    existing_appointment: bool = False
    wants_callback: bool = False
    #: a "just to be sure" question answered with something else was asked once more
    doubt_asked_again: bool = False
    #: the booked time and what the consultation is were said (once is enough)
    booking_recapped: bool = False
    #: the caller asked how we came to contact them ("how'd you get my number?")
    contact_questioned: bool = False
    #: a caller who turned us down after asking that was offered never to be contacted again
    dnc_offered: bool = False
    #: a gate question went unanswered twice and a call back was offered instead: answers
    #: given after all take the call back to the questions
    gate_deferred: bool = False
    callback: bool = False
    email_requested: bool = False
    do_not_call: bool = False
    not_interested: bool = False
    bad_timing: bool = False
    other_lender: bool = False
    transfer_requested: bool = False
    transferred: bool = False
    no_sales: bool = False
    ended: bool = False
    closed: bool = False
    capped: str | None = None
    tool_failures: int = 0
    #: the caller's answers on the four checks are held in the facts but the tools could not
    #: take them (unreachable): they are sent again at the start of the next turn
    qualification_unsaved: bool = False
    #: the same for what they told us about themselves (``update_lead``)
    lead_facts_unsaved: bool = False
    #: the caller's upcoming appointment was cancelled in this call
    cancelled: bool = False
    #: the caller asked for information by email: their address is asked for first
    email_pending: bool = False
    #: the caller asked to cancel: one confirmation is pending
    cancel_pending: bool = False
    #: the caller kept their upcoming appointment
    kept_appointment: bool = False
    #: the line stayed silent: nothing was ever said
    no_response: bool = False
    #: an authority claim ("IT", "supervisor", "admin mode") was heard and ignored
    authority_claims: int = 0


class Facts(msgspec.Struct, kw_only=True):
    """What the caller told us in this call (PII)."""

    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    city: str | None = None
    state: str | None = None
    zip: str | None = None
    address: str | None = None
    #: the caller's own age, and the other owner's who lives there (the age gate: the younger)
    age: int | None = None
    co_borrower_age: int | None = None
    is_homeowner: bool | None = None
    primary_residence: bool | None = None
    home_value: int | None = None
    mortgage_balance: int | None = None
    money_purpose: str | None = None
    amount_needed: int | None = None
    timeline: str | None = None
    objections: list[str] = msgspec.field(default_factory=list)
    questions: list[str] = msgspec.field(default_factory=list)
    topics: list[str] = msgspec.field(default_factory=list)
    relation: str | None = None
    sentiment: str = "neutral"
    message: str | None = None


class Broker(msgspec.Struct, kw_only=True):
    broker_id: str
    name: str
    company: str = ""
    nmls: str = ""
    timezone: str = "America/New_York"
    phone: str | None = None
    is_default: bool = False


class OfferedSlot(msgspec.Struct, kw_only=True):
    slot_id: str
    broker_id: str
    start: datetime
    caller_local: str
    caller_timezone: str


class Appointment(msgspec.Struct, kw_only=True):
    appointment_id: str
    start: datetime
    caller_local: str
    caller_timezone: str


class HistoryItem(msgspec.Struct, kw_only=True):
    role: str  # "caller" | "agent"
    text: str
    reply_id: str | None = None
    interrupted: bool = False
    #: what Barbara's reply ended with (end the call, transfer): a reply finished again after
    #: a crash ends the same way
    action: Action | None = None


class LlmSettings(msgspec.Struct, kw_only=True):
    """The call's LLM settings, from its AI template."""

    provider: str = "openai"
    model: str = "gpt-4o-mini"
    fallback_model: str | None = None
    base_url: str | None = None
    temperature: float = 0.6
    max_tokens: int = 180


class Prompt(msgspec.Struct, kw_only=True):
    version_id: str | None = None
    sections: dict[str, str] = msgspec.field(default_factory=dict)
    nodes: dict[str, str] = msgspec.field(default_factory=dict)


class CallState(msgspec.Struct, kw_only=True):
    call_id: str
    direction: CallDirection = CallDirection.INBOUND
    call_type: CallType = CallType.INBOUND_UNKNOWN
    caller_number: str | None = None
    dialled_number: str | None = None
    template_id: str | None = None
    started_at: datetime | None = None
    node: Node = Node.GREET
    previous: Node | None = None
    visits: dict[str, int] = msgspec.field(default_factory=dict)
    expect: Expect = Expect.NAME
    #: how often each question (an ``Expect`` value) was asked: twice at most, then move on
    asks: dict[str, int] = msgspec.field(default_factory=dict)
    #: how often each question was said, whatever the answers (its wording alternates)
    said_asks: dict[str, int] = msgspec.field(default_factory=dict)
    lead_id: str | None = None
    lead_found: bool = False
    lead_status: str | None = None
    returning: bool = False
    memory: dict[str, Any] = msgspec.field(default_factory=dict)
    flags: Flags = msgspec.field(default_factory=Flags)
    facts: Facts = msgspec.field(default_factory=Facts)
    broker: Broker | None = None
    preference_days: list[str] = msgspec.field(default_factory=list)
    preference_part: str | None = None
    #: the hours the caller will take (minutes after midnight, their clock): from / before
    preference_from: int | None = None
    #: a call-ending intent Barbara was unsure of and asked about (``Intent`` value)
    unsure_of: str | None = None
    preference_before: int | None = None
    offered: list[OfferedSlot] = msgspec.field(default_factory=list)
    appointment: Appointment | None = None
    callback_at: datetime | None = None
    history: list[HistoryItem] = msgspec.field(default_factory=list)
    done_turns: list[str] = msgspec.field(default_factory=list)
    turns: int = 0
    state_seq: int = 0
    pending_interrupts: dict[str, str] = msgspec.field(default_factory=dict)
    llm: LlmSettings | None = None
    prompt: Prompt = msgspec.field(default_factory=Prompt)
    outcome: str | None = None
    outcome_reason: str | None = None
    outcome_published: bool = False
    ended: bool = False
    #: LLM tokens this call used (prompt + completion, as the provider reported them)
    llm_tokens: int = 0

    def visit_count(self, node: Node) -> int:
        return self.visits.get(node.value, 0)


_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder(CallState)


def encode_state(state: CallState) -> bytes:
    return _encoder.encode(state)


def decode_state(data: bytes) -> CallState:
    return _decoder.decode(data)


def copy_state(state: CallState) -> CallState:
    return _decoder.decode(_encoder.encode(state))


def remember_turn(state: CallState, turn_id: str) -> None:
    state.done_turns.append(turn_id)
    del state.done_turns[:-DONE_TURNS_KEPT]


def add_history(state: CallState, item: HistoryItem) -> None:
    state.history.append(item)
    del state.history[:-HISTORY_KEPT]
    apply_interrupts(state)


def apply_interrupts(state: CallState) -> None:
    """Replace a reply the caller cut off with what they actually heard."""
    if not state.pending_interrupts:
        return
    for item in state.history:
        if item.role == "agent" and item.reply_id in state.pending_interrupts:
            item.text = state.pending_interrupts.pop(item.reply_id)
            item.interrupted = True


def merge(base: CallState, mine: CallState, theirs: CallState, appended: int) -> CallState:
    """Three-way merge after a revision conflict: my changes (``base`` → ``mine``) applied on
    top of the stored ``theirs``. My last ``appended`` history items and my turn ids are
    appended; other fields I changed
    overwrite theirs; interruptions recorded by anyone are kept."""
    out = copy_state(theirs)
    for name in CallState.__struct_fields__:
        if name in ("history", "done_turns", "pending_interrupts"):
            continue
        mine_v, base_v = getattr(mine, name), getattr(base, name)
        if mine_v != base_v:
            setattr(out, name, mine_v)
    out.state_seq = max(mine.state_seq, theirs.state_seq)
    if appended:
        out.history.extend(mine.history[-appended:])
    del out.history[:-HISTORY_KEPT]
    for turn_id in mine.done_turns:
        if turn_id not in out.done_turns:
            out.done_turns.append(turn_id)
    del out.done_turns[:-DONE_TURNS_KEPT]
    pending = dict(theirs.pending_interrupts)
    pending.update(
        {k: v for k, v in mine.pending_interrupts.items() if k not in base.pending_interrupts}
    )
    out.pending_interrupts = pending
    apply_interrupts(out)
    return out
