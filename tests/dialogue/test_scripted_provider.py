"""The benchmark's scripted provider: never chosen unless asked for, the same script in-process
and over HTTP (through the real ``openai`` client), paced as configured."""

from __future__ import annotations

import json
import time
from typing import Any

from services.dialogue.adapters.openai_llm import OpenAiLlm
from services.dialogue.bootstrap import build_llm
from services.dialogue.fakes.openai_server import FakeOpenAI
from services.dialogue.fakes.provider import (
    ANSWER,
    IDENTITY,
    KNOWLEDGE_ANSWER,
    Pace,
    ScriptedProvider,
    script,
)
from services.dialogue.policy.llm import llm_config
from services.dialogue.ports import LlmConfig, LlmRequest, TextDelta, ToolCall
from services.dialogue.state import CallState

PACE = Pace(ttft_s=0.3, tokens_per_s=40)


def tool(name: str) -> dict[str, Any]:
    return {"type": "function", "function": {"name": name, "parameters": {}}}


def body(*messages: tuple[str, str], tools: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "messages": [{"role": "system", "content": "You are Barbara."}]
        + [{"role": role, "content": text} for role, text in messages],
        "tools": [tool(t) for t in tools],
    }


def test_a_knowledge_question_asks_for_a_search_after_the_first_token_delay() -> None:
    reply = script(body(("user", "How does a reverse mortgage work?"),
                        tools=("search_knowledge", "verify_caller")), PACE)  # fmt: skip
    assert reply.tool_calls == [
        ("search_knowledge", {"query": "How does a reverse mortgage work?"})
    ]
    assert reply.first_delay == 0.3 and reply.text == ""


def test_after_the_search_it_answers_at_the_token_rate() -> None:
    reply = script(body(("user", "How does it work?"), ("tool", "{}"), tools=("search_knowledge",)),
                   PACE)  # fmt: skip
    assert reply.text == KNOWLEDGE_ANSWER and not reply.tool_calls
    assert reply.first_delay == 0.3
    assert abs(reply.delay - 3 / 40) < 1e-9  # three words a piece at 40 tokens/s


def test_a_calls_first_turn_takes_the_callers_details_down_at_once() -> None:
    reply = script(body(("user", "Yes, this is Ann Lee."), tools=("verify_caller",)), PACE)
    assert reply.tool_calls == [("verify_caller", IDENTITY)] and reply.first_delay == 0


def test_any_other_turn_is_answered_at_once_without_a_tool() -> None:
    reply = script(body(("user", "Hi."), ("assistant", "Hello."), ("user", "Tell me more."),
                        tools=("verify_caller", "search_knowledge")), PACE)  # fmt: skip
    assert reply.text == ANSWER and not reply.tool_calls and reply.first_delay == 0


async def test_the_in_process_provider_streams_the_same_script_with_its_pace() -> None:
    config = LlmConfig(model="m", base_url=None, api_key="k")
    provider = ScriptedProvider(Pace(ttft_s=0.05))
    ask = body(("user", "How does it work?"), tools=("search_knowledge",))
    started = time.monotonic()
    events = [
        e async for e in provider.stream(LlmRequest(config, "m", ask["messages"], ask["tools"]))
    ]
    assert time.monotonic() - started >= 0.05
    assert events == [ToolCall(id="call_1", name="search_knowledge",
                               arguments=json.dumps({"query": "How does it work?"}))]  # fmt: skip
    quick = body(("user", "Hi."), ("assistant", "Hello."), ("user", "More?"))
    said = [e async for e in provider.stream(LlmRequest(config, "m", quick["messages"]))]
    assert "".join(e.text for e in said if isinstance(e, TextDelta)) == ANSWER


async def test_over_http_the_real_openai_client_gets_the_same_script() -> None:
    server = FakeOpenAI()
    server.default = lambda request: script(request, Pace(ttft_s=0.0))
    await server.start()
    llm = OpenAiLlm()
    try:
        config = LlmConfig(model="gpt-4o-mini", base_url=server.base_url, api_key="sk-test")
        ask = body(("user", "How does it work?"), tools=("search_knowledge",))
        request = LlmRequest(config, "gpt-4o-mini", ask["messages"], ask["tools"])
        events = [e async for e in llm.stream(request)]
    finally:
        await llm.close()
        await server.stop()
    assert [(e.name, json.loads(e.arguments)) for e in events if isinstance(e, ToolCall)] == [
        ("search_knowledge", {"query": "How does it work?"})
    ]


def test_the_scripted_provider_is_only_used_when_the_policy_asks_for_it() -> None:
    assert isinstance(build_llm({}), OpenAiLlm)
    assert isinstance(build_llm({"OPENAI_API_KEY": "sk"}), OpenAiLlm)
    scripted = build_llm({"EC_DIALOGUE_POLICY": "scripted", "EC_SCRIPTED_LLM_TTFT_MS": "120",
                          "EC_SCRIPTED_LLM_TOKENS_PER_S": "30"})  # fmt: skip
    assert isinstance(scripted, ScriptedProvider)
    assert scripted.pace == Pace(ttft_s=0.12, tokens_per_s=30)


def test_the_scripted_policy_needs_no_key_and_offline_still_wins_without_it() -> None:
    state = CallState(call_id="call_scripted")
    assert llm_config(state, {}) is None
    config = llm_config(state, {"EC_DIALOGUE_POLICY": "scripted"})
    assert config is not None and config.api_key == "scripted"
    assert llm_config(state, {"EC_DIALOGUE_POLICY": "offline", "OPENAI_API_KEY": "sk"}) is None
