"""What the dialogue needs from outside, as Protocols; real adapters live in ``adapters/``,
fakes in ``fakes/``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from contracts.base import Message
from contracts.calls import CallType
from contracts.conversation import ReplyChunk
from contracts.store import CallerContext, RenderedPrompt, Template
from contracts.tools import ToolRequest, ToolResult
from services.dialogue.state import CallState


class Tools(Protocol):
    """``tools.<tool>`` request/reply. Never raises for a tool failure: returns a ToolError."""

    async def call(self, request: ToolRequest, *, deadline: float | None = None) -> ToolResult: ...


class Store(Protocol):
    """Reads served by persistence; ``None`` when it has nothing or does not answer."""

    async def caller_context(self, call_id: str, caller_number: str) -> CallerContext | None: ...

    async def template(self, dialled_number: str | None) -> Template | None: ...

    async def prompt(
        self, call_type: CallType, variables: dict[str, str]
    ) -> RenderedPrompt | None: ...


class StateConflict(Exception):
    """Someone else wrote the call's state since we read it."""


class States(Protocol):
    """Per-call state with revision checks."""

    async def load(self, call_id: str) -> tuple[CallState, int] | None: ...

    async def create(self, state: CallState) -> int:
        """Raises :class:`StateConflict` if the call already has state."""
        ...

    async def update(self, state: CallState, revision: int) -> int:
        """Raises :class:`StateConflict` if ``revision`` is not the latest."""
        ...


class Publisher(Protocol):
    async def chunk(self, chunk: ReplyChunk) -> None:
        """Fire-and-forget publish on ``calls.<id>.reply`` (the stream de-duplicates)."""
        ...

    async def event(self, subject: str, event: Message) -> None:
        """An acknowledged publish to the CALLS stream (state changes, the outcome)."""
        ...

    async def published_chunks(
        self, call_id: str, reply_id: str, from_seq: int
    ) -> list[ReplyChunk]:
        """Chunks of ``reply_id`` already in the stream (after a redelivery)."""
        ...

    async def call_ended(self, call_id: str) -> bool:
        """Whether the call's ``ended`` is in the stream (a stale redelivery is ignored)."""
        ...


class Clock(Protocol):
    def now(self) -> datetime: ...

    def monotonic(self) -> float: ...


# ---- the LLM ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LlmConfig:
    model: str
    base_url: str | None
    api_key: str
    temperature: float = 0.6
    max_tokens: int = 180
    fallback_model: str | None = None


@dataclass(frozen=True)
class LlmRequest:
    config: LlmConfig
    model: str
    messages: list[dict[str, Any]]
    tools: list[dict[str, Any]] = field(default_factory=list)
    tool_choice: str = "auto"


@dataclass(frozen=True)
class TextDelta:
    """Streamed text. An empty one is progress only (the model has begun, e.g. a tool call):
    it satisfies the first-token timer and is never spoken."""

    text: str


@dataclass(frozen=True)
class ToolCall:
    id: str
    name: str
    arguments: str


@dataclass(frozen=True)
class Usage:
    """The provider's token counts for one request (the stream's last chunk), when it gives
    them: counted per call for its cost."""

    prompt_tokens: int
    completion_tokens: int


LlmEvent = TextDelta | ToolCall | Usage


class LlmUnavailable(Exception):
    """The provider failed (HTTP error, timeout, connection): retry, fall back, or go offline."""


class Llm(Protocol):
    def stream(self, request: LlmRequest) -> AsyncIterator[LlmEvent]:
        """Text deltas as they come (an empty one on a tool call's first delta, as progress),
        then the complete tool calls. Raises LlmUnavailable."""
        ...
