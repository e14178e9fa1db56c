"""The in-process baseline for ``turn_e2e_inprocess``: the same dialogue code (its
``Dialogue`` handlers), the same tools code (the tools service's handlers, its Postgres pool
and ONNX embedder) and the same persistence read code, called as functions in one process —
no bus at all: call state in a dict, reply chunks handed to a callback. The LLM is the same
fake provider over HTTP through the same ``openai`` client adapter as the bus run.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from contracts.base import Message
from contracts.calls import CallType
from contracts.conversation import ReplyChunk
from contracts.phone import to_e164
from contracts.sessions import StartedCall
from contracts.store import (
    CallerContext,
    GetActivePrompt,
    GetCallerContext,
    GetTemplate,
    RenderedPrompt,
    Template,
)
from contracts.subjects import StoreQuery
from contracts.tools import REQUESTS, ToolRequest, ToolResult
from services.dialogue.adapters.clock import SystemClock
from services.dialogue.adapters.openai_llm import OpenAiLlm
from services.dialogue.context import Deps as DialogueDeps
from services.dialogue.context import Tuning
from services.dialogue.handlers import Dialogue
from services.persistence.reads import routes
from services.tools import bootstrap as tools_bootstrap
from services.tools.calendar.postgres import PostgresCalendar
from services.tools.clock import SystemClock as ToolsClock
from services.tools.deps import Deps as ToolsDeps
from services.tools.errors import ToolFailure
from services.tools.handlers.table import HANDLERS
from services.tools.kb.terms import TermStats
from services.tools.settings import Settings as ToolsSettings
from services.tools.store.brokers import BrokerCache
from tests.dialogue.fakes.memory import MemoryStates

TOOL_OF = {request: name for name, request in REQUESTS.items()}


class InProcessTools:
    """The ``Tools`` port as direct calls into the tools service's handlers."""

    def __init__(self, deps: ToolsDeps) -> None:
        self.deps = deps

    async def call(self, request: ToolRequest, *, deadline: float | None = None) -> ToolResult:
        try:
            return await HANDLERS[TOOL_OF[type(request)]](request, self.deps)
        except ToolFailure as failure:
            return failure.to_error()


class Announced:
    """The baseline has no gateway and no stream: a call counts as started from the number
    the dialogue names for it (the bus stack checks the CALLS stream instead)."""

    def __init__(self) -> None:
        self.numbers: dict[str, str] = {}

    async def started(self, call_id: str) -> StartedCall | None:
        number = self.numbers.get(call_id)
        return StartedCall(call_id, to_e164(number), ended=False) if number else None


class InProcessStore:
    """The ``Store`` port as direct calls into persistence's read handlers (same caches)."""

    def __init__(self, pool: Any, calls: Announced) -> None:
        self.pool = pool
        self.calls = calls
        self.routes = routes(5.0, 1.0, calls)

    async def _ask(self, query: StoreQuery, request: Message) -> Any:
        return await self.routes[query][1](self.pool, request)

    async def caller_context(self, call_id: str, caller_number: str) -> CallerContext | None:
        self.calls.numbers[call_id] = caller_number
        request = GetCallerContext(call_id=call_id, caller_number=caller_number)
        reply = await self._ask(StoreQuery.CALLER_CONTEXT, request)
        return reply if isinstance(reply, CallerContext) else None

    async def template(self, dialled_number: str | None) -> Template | None:
        reply = await self._ask(StoreQuery.TEMPLATE, GetTemplate(dialled_number=dialled_number))
        return reply if isinstance(reply, Template) else None

    async def prompt(self, call_type: CallType, variables: dict[str, str]) -> RenderedPrompt | None:
        reply = await self._ask(
            StoreQuery.PROMPT, GetActivePrompt(call_type=call_type, variables=variables)
        )
        return reply if isinstance(reply, RenderedPrompt) else None


@dataclass
class Listener:
    """Reply chunks handed over in-process: the time of each reply's first and final chunk."""

    first: dict[str, float] = field(default_factory=dict)
    final: dict[str, asyncio.Event] = field(default_factory=dict)
    on_chunk: Callable[[ReplyChunk], None] | None = None

    async def chunk(self, chunk: ReplyChunk) -> None:
        key = chunk.turn_id or chunk.reply_id
        if chunk.text and key not in self.first:
            self.first[key] = time.perf_counter()
        if chunk.final:
            self.final.setdefault(key, asyncio.Event()).set()

    async def event(self, subject: str, event: Message) -> None:
        return None  # the record is not written in the baseline: no bus, no persistence

    async def published_chunks(
        self, call_id: str, reply_id: str, from_seq: int
    ) -> list[ReplyChunk]:
        return []

    async def call_ended(self, call_id: str) -> bool:
        return False


@dataclass
class Baseline:
    dialogue: Dialogue
    listener: Listener
    close: Callable[[], Any]
    calls: Announced = field(default_factory=Announced)


async def build(tools_url: str, persistence_url: str, llm_env: dict[str, str]) -> Baseline:
    from psycopg_pool import AsyncConnectionPool

    settings = ToolsSettings.from_env({"EC_TOOLS_DATABASE_URL": tools_url})
    pool = await tools_bootstrap.open_pool(settings)
    embedder = await asyncio.to_thread(tools_bootstrap.build_embedder, settings)
    calls = Announced()
    deps = ToolsDeps(pool=pool, clock=ToolsClock(), calendar=PostgresCalendar(),
                     embedder=embedder, settings=settings, terms=TermStats(),
                     brokers=BrokerCache(), calls=calls)  # fmt: skip
    await tools_bootstrap.refresh_terms(deps)
    reads = AsyncConnectionPool(persistence_url, min_size=1, max_size=4,
                                kwargs={"autocommit": True}, open=False)  # fmt: skip
    await reads.open(wait=True)
    listener = Listener()
    llm = OpenAiLlm()
    dialogue = Dialogue(DialogueDeps(
        tools=InProcessTools(deps), store=InProcessStore(reads, calls), states=MemoryStates(),
        publisher=listener, clock=SystemClock(), llm=llm, llm_env=llm_env, tuning=Tuning(),
    ))  # fmt: skip

    async def close() -> None:
        await llm.close()
        await embedder.aclose()
        await pool.close()
        await reads.close()

    return Baseline(dialogue, listener, close, calls)
