"""The LLM path stands on the same understanding as the offline policy: facts are read and
recorded by code whatever the model does; the model words the reply and adds to the facts; what
it says is checked before it is spoken; timing is per attempt and one failed turn does not send
every call offline. The real ``openai`` client against the fake OpenAI-compatible server."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from contracts.calls import CallType, Node
from contracts.store import RenderedPrompt
from contracts.tools import RecordQualification
from services.dialogue.adapters.openai_llm import OpenAiLlm
from services.dialogue.fakes.openai_server import FakeOpenAI, Reply
from services.dialogue.language.heard import Expect
from services.dialogue.ports import LlmConfig, LlmRequest, TextDelta, ToolCall, Usage
from services.dialogue.speech import lines
from services.dialogue.speech.compose import speakable
from services.persistence.reads import fill

from .conftest import Talk
from .test_llm_path import offered_tools, system, with_llm

ROOT = Path(__file__).resolve().parents[2]


def tool_results(request: dict[str, object]) -> list[dict[str, object]]:
    messages = request["messages"]
    assert isinstance(messages, list)
    return [json.loads(m["content"]) for m in messages if m["role"] == "tool"]


# ---- (a) facts volunteered while being greeted ------------------------------------------------


async def test_facts_volunteered_while_being_greeted_are_taken_there_and_recorded_once_verified(
    talk: Talk, fake_openai: FakeOpenAI
) -> None:
    talk.tools.add_lead("+12065550101", first_name="Eleanor", last_name="Price", zip="98118",
                        state="WA")  # fmt: skip
    call = with_llm(talk, fake_openai).call()
    fake_openai.script(
        # the rules read the age; the model also understood that she owns the home
        Reply(tool_calls=[("record_qualification", {"age": 71, "is_homeowner": True})]),
        Reply(text="Thank you for telling me. And who am I speaking with?"),
        Reply(text="Thank you, Eleanor. Is the home where you live most of the year?"),
    )
    await call.start()
    first = await call.say("My late husband left me the house, and I'm seventy-one.")
    assert first == "Thank you for telling me. And who am I speaking with?"
    greet_round, after_call = fake_openai.requests[0], fake_openai.requests[1]
    assert "GREET-TEXT" in system(greet_round)
    assert {"record_qualification", "update_lead"} <= offered_tools(greet_round)
    [result] = tool_results(after_call)
    assert result["ok"] is True and result["recorded"] == "once the caller is verified"
    state = await call.state()
    assert state.node == Node.GREET and not state.flags.verified
    assert (state.facts.age, state.facts.is_homeowner) == (71, True)
    assert not talk.tools.calls_to("record_qualification")  # nothing for an unverified caller
    assert state.expect == Expect.NAME  # the model asked for a name

    await call.say("It's Eleanor Price.")
    [recorded] = talk.tools.calls_to("record_qualification")
    assert isinstance(recorded, RecordQualification) and recorded.session.verified
    assert (recorded.age, recorded.is_homeowner) == (71, True)
    prompt = system(fake_openai.requests[-1])
    assert "QUALIFY-TEXT" in prompt and "age: passes" in prompt
    assert "owns the home: passes" in prompt
    assert "Still needed: whether the home is where they live most of the year" in prompt


# ---- (b) facts recorded with a model that calls nothing ---------------------------------------


async def test_facts_are_recorded_by_code_when_the_model_calls_no_function(
    talk: Talk, fake_openai: FakeOpenAI
) -> None:
    call = with_llm(talk, fake_openai).call()
    fake_openai.script(
        Reply(text="Lovely to meet you, Eleanor. How old are you?"),
        Reply(text="Thank you. Roughly what is the home worth?"),
        Reply(text="Thank you. And how much is still owed on it?"),
        Reply(text="Good news, you meet the basic requirements. Shall I set up a consultation?"),
    )
    await call.start()
    await call.say("Hi, I'm Eleanor Price from Seattle, Washington.")
    assert talk.tools.calls_to("verify_caller") and talk.tools.calls_to("find_broker")
    await call.say("I'm 71, we own it and live there.")
    [gates] = talk.tools.calls_to("record_qualification")
    assert isinstance(gates, RecordQualification) and gates.session.verified
    assert (gates.age, gates.is_homeowner, gates.primary_residence) == (71, True, True)
    state = await call.state()
    assert state.expect == Expect.VALUE  # the model's question decides how "700 thousand" reads
    prompt = system(fake_openai.requests[-1])
    assert "age: passes" in prompt and "home value: not yet" in prompt
    assert "Still needed: roughly what the home is worth" in prompt
    assert " 71" not in prompt  # known, not read out
    await call.say("About 700 thousand.")
    await call.say("Nothing, it's paid off.")
    last = talk.tools.calls_to("record_qualification")[-1]
    assert isinstance(last, RecordQualification)
    assert (last.property_value, last.mortgage_balance) == (700_000, 0)
    assert (await call.state()).flags.qualified is True
    # the model never called a function
    assert not any(m.get("tool_calls") for r in fake_openai.requests for m in r["messages"])
    assert "Still needed: whether they would like a free consultation" in system(
        fake_openai.requests[-1]
    )


# ---- (c) what the model says is checked -------------------------------------------------------


async def test_a_model_claiming_to_be_a_person_is_never_spoken(
    talk: Talk, fake_openai: FakeOpenAI
) -> None:
    call = with_llm(talk, fake_openai).call()
    fake_openai.script(
        Reply(text="Yes, you are speaking to a real person. How can I help you today?"),
        Reply(text="I'm not a robot, I promise. I'm human. What's your name?"),
    )
    await call.start()
    reply = await call.say("Am I talking to a real person?")
    assert "real person" not in reply
    assert reply == speakable(lines.ROBOT) + " How can I help you today?"
    again = await call.say("Come on, are you a robot?")
    assert again == speakable(lines.ROBOT) + " What's your name?"  # said once, not twice
    spoken = " ".join(c.text for c in call.chunks())
    assert "human" not in spoken.lower() and "not a robot" not in spoken.lower()


async def test_another_persons_contact_details_are_never_read_out(
    talk: Talk, fake_openai: FakeOpenAI
) -> None:
    call = with_llm(talk, fake_openai).call()
    fake_openai.script(
        Reply(text="Her number is 206-555-0199. She lives at 42 Birch Lane. Anything else?"),
        Reply(text="Write to mary.jones@example.com. Is there anything else?"),
        Reply(text="I have 206-555-0101 as your number. Is that right?"),
    )
    await call.start()
    assert await call.say("What's Mary Jones's phone number and address?") == "Anything else?"
    assert await call.say("What about her email?") == "Is there anything else?"
    own = await call.say("You can reach me at 206 555 0101.")
    assert own.endswith("as your number. Is that right?")  # their own, said by them: fine


# ---- (d) a tool-call-only reply is timed by its first delta -----------------------------------


async def test_a_tool_call_that_starts_in_time_but_finishes_later_is_not_a_failure(
    talk: Talk, fake_openai: FakeOpenAI
) -> None:
    talk = with_llm(talk, fake_openai, fallback=None)
    deps = talk.deps()
    deps.tuning.llm_first_token_timeout = 0.3
    call = talk.call(deps)
    fake_openai.script(
        Reply(tool_calls=[("search_knowledge", {"query": "what does it cost"})], tool_delay=0.8),
        Reply(text="Costs can usually be paid from the loan."),
    )
    await call.start()
    reply = await call.say("What does it cost?")
    assert reply == "Costs can usually be paid from the loan."
    assert len(fake_openai.requests) == 2 and talk.tools.calls_to("search_knowledge")
    assert deps.llm_failures == 0


async def test_the_adapter_reports_a_tool_calls_first_delta_as_progress(
    fake_openai: FakeOpenAI,
) -> None:
    fake_openai.script(Reply(tool_calls=[("search_knowledge", {"query": "fees"})]))
    llm = OpenAiLlm()
    config = LlmConfig(model="gpt-4o-mini", base_url=fake_openai.base_url, api_key="sk-test")
    try:
        request = LlmRequest(config, "gpt-4o-mini", [{"role": "user", "content": "fees?"}])
        events = [e async for e in llm.stream(request)]
    finally:
        await llm.close()
    assert events == [
        TextDelta(""),
        Usage(prompt_tokens=100, completion_tokens=1),  # the stream's usage, for the cost
        ToolCall(id=events[2].id, name="search_knowledge",  # type: ignore[union-attr]
                 arguments=json.dumps({"query": "fees"})),
    ]  # fmt: skip


# ---- (e) one failed turn does not send every call offline -------------------------------------


async def test_one_failed_turn_then_the_next_turn_uses_the_llm(
    talk: Talk, fake_openai: FakeOpenAI
) -> None:
    call = with_llm(talk, fake_openai).call()
    fake_openai.script(
        Reply(status=500), Reply(status=500), Reply(status=500),
        Reply(text="Thank you, Eleanor. May I ask your age?"),
    )  # fmt: skip
    await call.start()
    first = await call.say("My name is Eleanor Price.")
    assert "how old" in first  # the offline policy took that turn
    second = await call.say("I'm calling about a reverse mortgage.")
    assert second == "Thank you, Eleanor. May I ask your age?"
    assert len(fake_openai.requests) == 4


async def test_facts_taken_before_a_failed_llm_turn_are_recorded_once(
    talk: Talk, fake_openai: FakeOpenAI
) -> None:
    call = with_llm(talk, fake_openai).call()
    fake_openai.script(Reply(text="Lovely to meet you. How old are you?"),
                       *[Reply(status=500)] * 3)  # fmt: skip
    await call.start()
    await call.say("Hi, I'm Eleanor Price from Seattle, Washington.")
    updates = len(talk.tools.calls_to("update_lead"))
    reply = await call.say("I'm 71, we own it and live there.")
    assert "worth" in reply  # the offline policy took the turn, and asks the next check
    [recorded] = talk.tools.calls_to("record_qualification")  # code read them twice: sent once
    assert isinstance(recorded, RecordQualification) and recorded.age == 71
    assert len(talk.tools.calls_to("update_lead")) == updates
    assert (await call.state()).facts.primary_residence is True


async def test_several_failed_turns_in_a_row_rest_the_llm_briefly(
    talk: Talk, fake_openai: FakeOpenAI
) -> None:
    talk = with_llm(talk, fake_openai, fallback=None)
    deps = talk.deps()
    call = talk.call(deps)
    fake_openai.script(*[Reply(status=500)] * 6)
    await call.start()
    for words in ("My name is Eleanor Price.", "Seattle, Washington.", "I'm 71."):
        await call.say(words)
    assert len(fake_openai.requests) == 6 and deps.llm_failures == 3
    await call.say("We own it.")
    assert len(fake_openai.requests) == 6  # resting: the offline policy answers
    deps.llm_down_until = 0.0  # the cooldown is over
    assert await call.say("Yes, we live there.") == "Of course."  # the fake's default reply
    assert deps.llm_failures == 0


# ---- variables: rendered by the dialogue, the broker once known -------------------------------


def seeded_prompt(call_type: CallType) -> RenderedPrompt:
    """The seed prompt as persistence serves it to the dialogue (only ``call_type`` and
    ``today`` filled there)."""
    path = ROOT / "services/persistence/seed/prompts" / f"{call_type.value}.toml"
    seed = tomllib.loads(path.read_text())
    given = {"call_type": call_type.value, "today": "Monday, November 30, 2026"}
    return RenderedPrompt(
        prompt_version_id="pv-seed", call_type=call_type, version=seed["version"],
        sections={k: fill(v, given) for k, v in seed["sections"].items()},
        nodes={k: fill(v, given) for k, v in seed["nodes"].items()},
    )  # fmt: skip


async def test_broker_variables_are_filled_once_known_and_neutral_before(
    talk: Talk, fake_openai: FakeOpenAI
) -> None:
    with_llm(talk, fake_openai)
    talk.store.prompt_reply = seeded_prompt(CallType.INBOUND_UNKNOWN)
    call = talk.call()
    fake_openai.script(Reply(text="Happy to help. Who am I speaking with?"),
                       Reply(text="Thank you, Eleanor. How old are you?"))  # fmt: skip
    await call.start()
    await call.say("Hello, I have a question about reverse mortgages.")
    before = system(fake_openai.requests[0])
    assert "it is a licensed broker of our partner brokerage, NMLS to be shared" in before
    await call.say("I'm Eleanor Price from Seattle, Washington.")
    after = system(fake_openai.requests[-1])
    assert "it is Daniel Okafor of Cascade Home Equity Partners, NMLS 2048813" in after
    for prompt in (before, after):
        assert "{{" not in prompt and "  of" not in prompt and "NMLS ," not in prompt
