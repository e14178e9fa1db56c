"""A whole call through dialogue + the real tools + the real persistence, over the real bus."""

from __future__ import annotations

from typing import Any

from contracts.calls import Outcome

from .conftest import eventually


async def test_a_new_caller_books_over_the_bus_with_the_offline_policy(
    real_tools: Any,
    real_persistence: Any,
    start_dialogue: Any,
    bus_call: Any,
    tools_sql: Any,
    persistence_sql: Any,
) -> None:
    await start_dialogue()
    call = await bus_call()
    greeting = await call.start(caller="+12065550777")
    assert "AI assistant" in greeting
    for line in [
        "Hi, my name is Rosalind Meyer.",
        "Seattle, Washington",
        "I'm seventy-four",
        "yes we own it",
        "yes, full time",
        "about 650 grand",
        "we owe maybe 50 thousand",
        "sure thing",
        "any morning",
        "the earlier one",
        "no, that's all, thank you",
    ]:
        reply = await call.say(line)
        print(f"> {line}\n< {reply}")
    await call.hang_up()
    rows = await eventually(
        lambda: tools_sql(
            "SELECT a.status FROM appointments a JOIN leads l ON l.id = a.lead_id"
            " WHERE l.phone = '+12065550777'"
        )
    )
    assert rows == [("scheduled",)]
    interaction = await eventually(
        lambda: persistence_sql(
            "SELECT outcome, metadata->'facts'->>'age' FROM interactions WHERE call_id = %s",
            call.call_id,
        )
    )
    assert interaction == [(Outcome.BOOKED.value, "74")]


async def test_a_whole_call_with_the_llm_books_over_the_bus(
    real_tools: Any,
    real_persistence: Any,
    start_dialogue: Any,
    bus_call: Any,
    fake_openai: Any,
    tools_sql: Any,
    persistence_sql: Any,
) -> None:
    import re

    from services.dialogue.fakes.openai_server import Reply

    def slot(r: dict[str, Any], n: int) -> str:
        return re.findall(r"slot_id ([^)]+)\)", r["messages"][0]["content"])[n]

    fake_openai.script(
        Reply(
            tool_calls=[
                (
                    "verify_caller",
                    {
                        "first_name": "Eleanor",
                        "last_name": "Price",
                        "city": "Seattle",
                        "state": "WA",
                    },
                )
            ]
        ),
        Reply(text="Thank you, Eleanor. How old are you?"),
        Reply(
            tool_calls=[
                (
                    "record_qualification",
                    {
                        "age": 71,
                        "is_homeowner": True,
                        "primary_residence": True,
                        "property_value": 700000,
                        "mortgage_balance": 0,
                    },
                )
            ]
        ),
        Reply(text="Good news, you meet the basic requirements. Shall I book a consultation?"),
        Reply(tool_calls=[("mark_ready_to_book", {})]),
        Reply(tool_calls=[("get_availability", {"days": ["wed"], "part_of_day": "afternoon"})]),
        Reply(text="I have two Wednesday afternoon times. Which works better?"),
        lambda r: Reply(tool_calls=[("book_appointment", {"slot_id": slot(r, 1)})]),
        Reply(text="You're all set. Anything else?"),
        Reply(text="Take care, goodbye!"),
    )
    await start_dialogue(env={"OPENAI_API_KEY": "sk-test", "EC_LLM_BASE_URL": fake_openai.base_url})
    call = await bus_call()
    await call.start(caller="+12065550888")
    assert "How old" in await call.say("Hi, I'm Eleanor Price from Seattle, Washington.")
    await call.say("I'm 71, we own it and live there, worth about 700 thousand, paid off.")
    await call.say("Yes, Wednesday afternoon.")
    assert "all set" in await call.say("The second one.")
    bye = await call.send("No, that's all, bye!")
    await call.reply(bye)
    assert call.final(bye).action is not None
    await call.hang_up()
    rows = await eventually(
        lambda: tools_sql(
            "SELECT count(*) FROM appointments a JOIN leads l ON l.id = a.lead_id"
            " WHERE l.phone = '+12065550888' AND a.status = 'scheduled'"
        )
    )
    assert rows == [(1,)]
    assert await eventually(
        lambda: persistence_sql("SELECT outcome FROM interactions WHERE call_id = %s", call.call_id)
    ) == [("booked",)]
    assert "Seattle" not in "".join(
        m["content"] or "" for m in fake_openai.requests[0]["messages"][:1]
    )


async def test_stop_calling_is_recorded_for_the_lead(
    real_tools: Any,
    real_persistence: Any,
    start_dialogue: Any,
    bus_call: Any,
    tools_sql: Any,
    persistence_sql: Any,
) -> None:
    await start_dialogue()
    call = await bus_call()
    await call.start(caller="+13125550232")  # Walter, a known lead in the seed data
    reply = await call.say("Please stop calling me, take me off your list.")
    assert "won't hear from us again" in reply
    assert await eventually(
        lambda: tools_sql("SELECT do_not_call FROM leads WHERE phone = '+13125550232'")
    ) == [(True,)]
    await call.hang_up()
    assert await eventually(
        lambda: persistence_sql("SELECT outcome FROM interactions WHERE call_id = %s", call.call_id)
    ) == [("do_not_call",)]


async def test_a_returning_qualified_caller_goes_straight_to_booking(
    real_tools: Any,
    real_persistence: Any,
    start_dialogue: Any,
    bus_call: Any,
    tools_sql: Any,
) -> None:
    await start_dialogue()
    call = await bus_call()
    await call.start(caller="+12065550231")  # Margaret: qualified, spoke with Barbara twice
    welcome = await call.say("Hello, this is Margaret Holloway.")
    assert "Welcome back, Margaret" in welcome and "consultation" in welcome
    await call.say("Yes please, Thursday morning.")
    assert "all set" in await call.say("the first one")
    assert await eventually(
        lambda: tools_sql(
            "SELECT count(*) FROM appointments a JOIN leads l ON l.id = a.lead_id"
            " WHERE l.phone = '+12065550231'"
        )
    ) == [(1,)]


async def test_an_under_62_caller_is_told_kindly_and_the_reason_is_kept(
    real_tools: Any,
    real_persistence: Any,
    start_dialogue: Any,
    bus_call: Any,
    persistence_sql: Any,
) -> None:
    await start_dialogue()
    call = await bus_call()
    await call.start(caller="+12065550999")
    for line in ("I'm Tina Ruiz", "Tacoma, Washington", "I'm fifty-nine"):
        reply = await call.say(line)
    assert "sixty-two" in reply
    await call.hang_up()
    assert await eventually(
        lambda: persistence_sql(
            "SELECT outcome, metadata->>'disqualification_reason' FROM interactions"
            " WHERE call_id = %s",
            call.call_id,
        )
    ) == [("not_qualified", "age_below_62")]
