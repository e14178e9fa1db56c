"""`store.*` reads: typed replies, typed misses, typed errors, shared by copies."""

from __future__ import annotations

import re
from typing import Any

from contracts import codec
from contracts.base import new_call_id
from contracts.bus import publish_event
from contracts.calls import CallDirection, CallEnded, CallStarted, CallType, EndReason, Outcome
from contracts.runtime import Stats
from contracts.store import (
    BadRequest,
    CallerContext,
    CallerContextReply,
    GetActivePrompt,
    GetCallerContext,
    GetTemplate,
    GetTranscript,
    NotFound,
    PromptReply,
    RenderedPrompt,
    TemplateReply,
    TranscriptReply,
)
from contracts.subjects import StoreQuery, store_subject
from services.ops.seeding import seed_all
from services.persistence.bootstrap import start
from services.persistence.reads import fill
from tests.persistence.conftest import eventually
from tests.persistence.events import call_events, subject_of

MARGARET = "+12065550231"  # a seeded returning caller


async def ask(nc: Any, query: StoreQuery, request: Any, reply_type: Any) -> Any:
    msg = await nc.request(store_subject(query), codec.encode(request), timeout=5)
    return codec.decode(msg.data, reply_type)


async def test_caller_context_returns_memory_and_last_call(
    nc: Any, persistence: Any, db: str
) -> None:
    seed_all(db)
    call_id = await started(nc, MARGARET)
    ctx = await ask(nc, StoreQuery.CALLER_CONTEXT,
                    GetCallerContext(call_id=call_id, caller_number=MARGARET),
                    CallerContextReply)  # fmt: skip
    assert isinstance(ctx, CallerContext)
    assert ctx.qualified is True and ctx.call_count == 2 and ctx.lead_id
    assert ctx.last_outcome is Outcome.CALLBACK_SCHEDULED and ctx.last_call_summary
    assert "heirs" in ctx.memory["topics_discussed"]


async def test_an_unknown_caller_is_a_typed_miss(nc: Any, persistence: Any) -> None:
    call_id = await started(nc, "+12065550999")
    reply = await ask(nc, StoreQuery.CALLER_CONTEXT,
                      GetCallerContext(call_id=call_id, caller_number="+12065550999"),
                      CallerContextReply)  # fmt: skip
    assert isinstance(reply, NotFound) and reply.what == "caller"


async def test_a_callers_memory_is_only_for_a_call_in_progress_from_that_number(
    nc: Any, persistence: Any, db: str
) -> None:
    """Naming a phone number is not enough: the call must have been started by the gateway
    from that number and not have ended."""
    seed_all(db)

    async def memory_for(call_id: str) -> Any:
        request = GetCallerContext(call_id=call_id, caller_number=MARGARET)
        return await ask(nc, StoreQuery.CALLER_CONTEXT, request, CallerContextReply)

    assert isinstance(await memory_for(new_call_id()), NotFound)  # nobody started it
    assert isinstance(await memory_for(await started(nc, "+13125550232")), NotFound)  # not hers
    ended = await started(nc, MARGARET)
    js = nc.jetstream()
    done = CallEnded(call_id=ended, reason=EndReason.CALLER_HUNG_UP, duration_ms=1000)
    await publish_event(js, f"calls.{ended}.ended", done)
    assert isinstance(await memory_for(ended), NotFound)  # over
    assert isinstance(await memory_for(await started(nc, MARGARET)), CallerContext)


async def started(nc: Any, caller: str) -> str:
    """A call the gateway started from ``caller``: its id."""
    call_id = new_call_id()
    event = CallStarted(call_id=call_id, direction=CallDirection.INBOUND, from_number=caller,
                        to_number="+18005550100")  # fmt: skip
    await publish_event(nc.jetstream(), f"calls.{call_id}.started", event)
    return call_id


async def test_template_for_an_assigned_number_else_the_default(
    nc: Any, persistence: Any, db: str
) -> None:
    seed_all(db)
    assigned = await ask(nc, StoreQuery.TEMPLATE, GetTemplate(dialled_number="+18005550242"),
                         TemplateReply)  # fmt: skip
    assert assigned.name and not assigned.is_default
    default = await ask(nc, StoreQuery.TEMPLATE, GetTemplate(dialled_number="+18005550000"),
                        TemplateReply)  # fmt: skip
    assert default.is_default and default.stt_provider == "deepgram"
    anonymous = await ask(nc, StoreQuery.TEMPLATE, GetTemplate(), TemplateReply)
    assert anonymous.template_id == default.template_id


async def test_no_templates_at_all_is_a_typed_miss(nc: Any, persistence: Any) -> None:
    reply = await ask(nc, StoreQuery.TEMPLATE, GetTemplate(), TemplateReply)
    assert isinstance(reply, NotFound)


async def test_active_prompt_has_the_given_variables_filled(
    nc: Any, persistence: Any, db: str
) -> None:
    seed_all(db)
    reply = await ask(nc, StoreQuery.PROMPT,
                      GetActivePrompt(call_type=CallType.INBOUND_UNKNOWN,
                                      variables={"broker_name": "Daniel Okafor",
                                                 "today": "Wednesday"}),
                      PromptReply)  # fmt: skip
    assert isinstance(reply, RenderedPrompt) and reply.version == 1
    text = " ".join([*reply.sections.values(), *reply.nodes.values()])
    assert "Daniel Okafor" in text and "{{broker_name}}" not in text and "{{today}}" not in text
    assert "inbound-unknown" in reply.sections["context"]
    assert set(reply.nodes) >= {"greet", "verify", "qualify", "book", "exit"}
    # what the request did not give is left for the dialogue, never an empty gap
    assert "of {{broker_company}}, NMLS {{broker_nmls}}" in reply.sections["context"]
    assert not re.search(r"\bof ,|NMLS ,| {2}", text)


async def test_the_dialogues_request_leaves_the_broker_for_the_dialogue(
    nc: Any, persistence: Any, db: str
) -> None:
    """The dialogue asks with only ``call_type`` and ``today`` (it fills the rest per turn, the
    broker once matched): the broker's variables arrive unfilled."""
    seed_all(db)
    reply = await ask(nc, StoreQuery.PROMPT,
                      GetActivePrompt(call_type=CallType.OUTBOUND_COLD,
                                      variables={"today": "Wednesday, December 02, 2026"}),
                      PromptReply)  # fmt: skip
    assert isinstance(reply, RenderedPrompt)
    context = reply.sections["context"]
    assert "outbound-cold" in context and "Wednesday, December 02, 2026" in context
    assert "{{broker_name}} of {{broker_company}}, NMLS {{broker_nmls}}" in context


def test_fill_leaves_unknown_variables_as_they_are() -> None:
    text = "Hi {{ lead_first_name }}, it is {{today}}; {{broker_name}} of {{broker_company}}."
    assert fill(text, {"today": "Monday", "broker_name": "Daniel Okafor"}) == (
        "Hi {{ lead_first_name }}, it is Monday; Daniel Okafor of {{broker_company}}."
    )
    assert fill("no variables", {}) == "no variables"


async def test_transcript_of_a_call_in_order(nc: Any, persistence: Any, query: Any) -> None:
    js = nc.jetstream()
    events = call_events()
    call_id = events[0][1].call_id
    for name, event in events:
        await publish_event(js, subject_of(event, name), event)
    await eventually(lambda: query("SELECT count(*) FROM transcript_segments")[0][0] == 2)
    reply = await ask(nc, StoreQuery.TRANSCRIPT, GetTranscript(call_id=call_id), TranscriptReply)
    assert [line.speaker.value for line in reply.lines] == ["agent", "caller"]
    missing = await ask(nc, StoreQuery.TRANSCRIPT, GetTranscript(call_id=new_call_id()),
                        TranscriptReply)  # fmt: skip
    assert isinstance(missing, NotFound)


async def test_a_bad_request_gets_a_typed_error_naming_the_field(nc: Any, persistence: Any) -> None:
    bad = b'{"call_id": "call_abc123", "caller_number": "555-0100"}'
    msg = await nc.request(store_subject(StoreQuery.CALLER_CONTEXT), bad, timeout=5)
    reply = codec.decode(msg.data, CallerContextReply)
    assert isinstance(reply, BadRequest) and "$.caller_number" in reply.reason
    msg = await nc.request(store_subject(StoreQuery.PROMPT), b"garbage", timeout=5)
    assert isinstance(codec.decode(msg.data, PromptReply), BadRequest)


async def test_copies_share_the_reads(nc: Any, persistence: Stats, settings: Any, db: str) -> None:
    seed_all(db)
    other = Stats(service="persistence")
    stop = await start(nc, other, settings)
    try:
        for _ in range(40):
            await ask(nc, StoreQuery.TEMPLATE, GetTemplate(), TemplateReply)
    finally:
        await stop()
    assert persistence.handled + other.handled >= 40
    assert persistence.handled > 0 and other.handled > 0, "queue group spreads the load"
