"""In-memory fakes of the dialogue's ports: states, publisher, store, clock, a scripted LLM."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from contracts.base import Message
from contracts.calls import CallType
from contracts.conversation import ReplyChunk
from contracts.store import CallerContext, RenderedPrompt, Template
from services.dialogue.ports import (
    LlmEvent,
    LlmRequest,
    LlmUnavailable,
    StateConflict,
    TextDelta,
    ToolCall,
)
from services.dialogue.state import CallState, decode_state, encode_state


class MemoryStates:
    def __init__(self) -> None:
        self.data: dict[str, tuple[bytes, int]] = {}

    async def load(self, call_id: str) -> tuple[CallState, int] | None:
        found = self.data.get(call_id)
        return (decode_state(found[0]), found[1]) if found else None

    async def create(self, state: CallState) -> int:
        if state.call_id in self.data:
            raise StateConflict(state.call_id)
        self.data[state.call_id] = (encode_state(state), 1)
        return 1

    async def update(self, state: CallState, revision: int) -> int:
        found = self.data.get(state.call_id)
        if found is None or found[1] != revision:
            raise StateConflict(state.call_id)
        self.data[state.call_id] = (encode_state(state), revision + 1)
        return revision + 1


@dataclass
class MemoryPublisher:
    chunks: list[ReplyChunk] = field(default_factory=list)
    events: list[tuple[str, Message]] = field(default_factory=list)
    #: calls whose ``ended`` is "in the stream" (the gateway published it)
    ended: set[str] = field(default_factory=set)

    async def call_ended(self, call_id: str) -> bool:
        return call_id in self.ended

    async def chunk(self, chunk: ReplyChunk) -> None:
        self.chunks.append(chunk)

    async def event(self, subject: str, event: Message) -> None:
        self.events.append((subject, event))

    async def published_chunks(
        self, call_id: str, reply_id: str, from_seq: int
    ) -> list[ReplyChunk]:
        return [c for c in self.chunks if c.call_id == call_id and c.reply_id == reply_id]

    def reply_text(self, reply_id: str) -> str:
        return " ".join(
            c.text for c in self.chunks if c.reply_id == reply_id and c.text and not c.filler
        )


class FakeClock:
    def __init__(self, now: datetime | None = None) -> None:
        self._now = now or datetime(2026, 11, 30, 16, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)

    def monotonic(self) -> float:
        return time.monotonic()


class FakeStore:
    """Answers like persistence would; ``None`` means "no answer"."""

    def __init__(
        self,
        context: CallerContext | None = None,
        template: Template | None = None,
        prompt: RenderedPrompt | None = None,
    ) -> None:
        self.context_reply = context
        self.template_reply = template
        self.prompt_reply = prompt
        self.asked: list[str] = []

    async def caller_context(self, call_id: str, caller_number: str) -> CallerContext | None:
        self.asked.append("caller_context")
        return self.context_reply

    async def template(self, dialled_number: str | None) -> Template | None:
        self.asked.append("template")
        return self.template_reply

    async def prompt(self, call_type: CallType, variables: dict[str, str]) -> RenderedPrompt | None:
        self.asked.append("prompt")
        return self.prompt_reply


Script = Callable[[LlmRequest], list[LlmEvent] | Exception]


class ScriptedLlm:
    """An in-process LLM: each request gets the next scripted answer (a list of events, or an
    exception to raise). ``delay`` between events simulates a slow stream."""

    def __init__(self, *answers: list[LlmEvent] | Exception | Script, delay: float = 0.0) -> None:
        self.answers = list(answers)
        self.requests: list[LlmRequest] = []
        self.delay = delay

    def say(self, *texts: str) -> ScriptedLlm:
        self.answers.append([TextDelta(t) for t in texts])
        return self

    def call(self, name: str, arguments: str = "{}") -> ScriptedLlm:
        self.answers.append(
            [ToolCall(id=f"call_{len(self.answers)}", name=name, arguments=arguments)]
        )
        return self

    async def stream(self, request: LlmRequest) -> AsyncIterator[LlmEvent]:
        self.requests.append(request)
        answer = self.answers.pop(0) if self.answers else [TextDelta("Mm-hm.")]
        if callable(answer) and not isinstance(answer, list):
            answer = answer(request)
        if isinstance(answer, Exception):
            raise answer
        for event in answer:
            if self.delay:
                await asyncio.sleep(self.delay)
            yield event


def unavailable() -> LlmUnavailable:
    return LlmUnavailable("scripted failure")
