"""The benchmark's scripted LLM provider: a stand-in for OpenAI with a configurable
time-to-first-token and token rate, answering by a fixed script (named as a fake: it is never
the default; ``EC_DIALOGUE_POLICY=scripted`` selects it inside the dialogue, and
``bench/fake_llm.py`` serves the same script over HTTP for the real ``openai`` client).

The script, decided from the request alone (so any copy answers any turn the same way):

- a knowledge question (the caller's last words start with "how does"): first a
  ``search_knowledge`` call, then, once the tool result is in, a two-sentence answer; both
  after the time to first token, the text at the token rate.
- a call's first caller turn, where ``verify_caller`` is offered: the caller's details, taken
  down as a real model would (one tool round), at once.
- anything else: two short sentences, at once ("instant LLM, no tool").
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from services.dialogue.fakes.openai_server import Reply, pieces
from services.dialogue.ports import LlmEvent, LlmRequest, TextDelta, ToolCall

KNOWLEDGE_QUESTION = "how does"
IDENTITY = {"first_name": "Ann", "last_name": "Lee", "city": "Denver", "state": "CO"}
ANSWER = "Of course, I'd be glad to help with that. What else would you like to know?"
KNOWLEDGE_ANSWER = (
    "A reverse mortgage lets you turn part of your home's value into money without a monthly "
    "mortgage payment. You keep living in the home and keep the title, as long as you pay the "
    "taxes and insurance."
)


@dataclass(frozen=True)
class Pace:
    """How fast the scripted provider answers the knowledge question."""

    ttft_s: float = 0.3
    tokens_per_s: float = 0.0  # 0: all at once

    def piece_delay(self) -> float:
        # the server streams three words a piece; a word is about one token
        return 3 / self.tokens_per_s if self.tokens_per_s > 0 else 0.0


def script(body: dict[str, Any], pace: Pace) -> Reply:
    """The scripted answer to one chat-completions request body."""
    messages: list[dict[str, Any]] = body.get("messages") or []
    offered = {t.get("function", {}).get("name") for t in body.get("tools") or []}
    said = [m for m in messages if m.get("role") == "user"]
    last = messages[-1] if messages else {}
    words = str(said[-1].get("content") or "") if said else ""
    if words.lower().startswith(KNOWLEDGE_QUESTION):
        if last.get("role") == "user" and "search_knowledge" in offered:
            return Reply(tool_calls=[("search_knowledge", {"query": words})],
                         first_delay=pace.ttft_s)  # fmt: skip
        return Reply(text=KNOWLEDGE_ANSWER, first_delay=pace.ttft_s, delay=pace.piece_delay())
    if len(said) == 1 and last.get("role") == "user" and "verify_caller" in offered:
        return Reply(tool_calls=[("verify_caller", IDENTITY)])
    return Reply(text=ANSWER)


class ScriptedProvider:
    """The same script in-process (the ``Llm`` port): no HTTP, so a benchmark of the turn
    overhead measures the bus and the dialogue, not an HTTP client."""

    def __init__(self, pace: Pace | None = None) -> None:
        self.pace = pace or Pace()
        self.requests = 0
        self._ids = 0

    async def stream(self, request: LlmRequest) -> AsyncIterator[LlmEvent]:
        self.requests += 1
        reply = script({"messages": request.messages, "tools": request.tools}, self.pace)
        if reply.first_delay:
            await asyncio.sleep(reply.first_delay)
        for n, piece in enumerate(pieces(reply.text)):
            if n and reply.delay:
                await asyncio.sleep(reply.delay)
            yield TextDelta(piece)
        for name, args in reply.tool_calls:
            self._ids += 1
            yield ToolCall(id=f"call_{self._ids}", name=name, arguments=json.dumps(args))


def from_env(env: dict[str, str]) -> ScriptedProvider:
    return ScriptedProvider(
        Pace(
            ttft_s=float(env.get("EC_SCRIPTED_LLM_TTFT_MS") or 300) / 1000,
            tokens_per_s=float(env.get("EC_SCRIPTED_LLM_TOKENS_PER_S") or 0),
        )
    )
