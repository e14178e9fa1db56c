"""Tools benchmark: availability, booking and knowledge-base search over the real bus.

The tools service runs as its own process (``equity-connect serve tools``, as deployed) against
a real nats-server and Postgres (private ones started here, or NATS_URL / DATABASE_URL), with
the local ONNX MiniLM model. The client measures each request from send to reply, over NATS.

- 50 concurrent callers (``--callers``), each a coroutine with its own call and lead, issuing
  one request at a time and pausing a random "think" time between requests (exponential, mean
  ``--think-ms``, default 1 s: several times the tool rate of a real conversation). Repeated
  closed loop (no pause: 50 requests always outstanding, the service saturated) for
  throughput, and with one caller closed loop for the best-case latency.
- every figure also has ``in_service``: the service's own timing (receipt → result) from the
  audit events, so transport and client overhead can be told apart.
- availability: ``get_availability`` (top 5) against the caller's own broker.
- booking: per sample a new caller (lookup → qualification → availability), then the measured
  ``book_appointment`` of the offered slot: appointment + billing + activity + status.
- KB search over ``--chunks`` passages (10,000): the 59 seed passages embedded by the service
  at start-up, the rest synthetic (2–3 seed sentences each; their vectors derived from the
  real model's sentence vectors, see --embed-all), timed including the query embedding.
- a slow tool blocks no one: availability measured while 40 other callers keep the knowledge
  base (the CPU-heavy tool) saturated.

Run: ``.venv/bin/python bench/tools_bench.py`` → ``bench/results/tools.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import psycopg
from common import ROOT, infrastructure, summary, unwind_on_sigterm, write
from pgvector.psycopg import register_vector

from contracts import codec
from contracts.base import new_call_id
from contracts.bus import connect, publish_event
from contracts.calls import CallDirection, CallStarted
from contracts.subjects import call_subject, tool_subject
from contracts.tools import (
    REQUESTS,
    AppointmentBooked,
    AvailabilityResult,
    BookAppointment,
    GetAvailability,
    KnowledgeResult,
    LeadLookupResult,
    LookupLead,
    QualificationResult,
    RecordQualification,
    SearchKnowledge,
    ToolError,
    ToolInvoked,
    ToolOutcome,
    ToolReply,
    ToolRequest,
    ToolSession,
)
from services.ops.migrate import service_url
from services.ops.seeding import seed_all
from services.tools.kb.chunking import split_sentences
from services.tools.kb.onnx import OnnxMiniLM
from services.tools.seed import load_documents

TARGETS_MS = {"availability": 5.0, "booking": 10.0, "kb_search": 25.0}
TOOL_OF = {request: tool for tool, request in REQUESTS.items()}
QUESTIONS = [
    "how old do I have to be", "what does HECM stand for", "is this a scam",
    "will my kids still inherit the house", "do I keep paying property taxes",
    "what are the closing costs", "can the bank take my home", "what if I move to assisted living",
    "do I need to see a counselor", "how does the line of credit grow",
    "can I get a lump sum", "what happens when I die", "does it affect social security",
    "I already have a mortgage", "is a condo eligible", "what is the FHA insurance premium",
    "can my wife stay if I pass away", "how is the interest charged", "what is an NMLS number",
    "do I still own my house", "what do I bring to the consultation", "can I pay it back early",
    "what are monthly payments like", "what if the loan is more than the house is worth",
    "how long does it take to close", "what if I need repairs on the house",
    "is the money taxable", "who can join the call with the broker", "what is a tenure payment",
    "what is the ninety five percent rule", "can I sell the house later",
    "what if I can't pay my insurance", "how much equity do I need", "are there upfront fees",
    "is a vacation home allowed", "what is financial assessment", "can I lose my home",
    "what about Medicaid", "how do rates affect the amount", "what is a set-aside",
]  # fmt: skip


# ---- setup ---------------------------------------------------------------------------------


def bench_brokers(tools_url: str, n: int) -> list[str]:
    """One broker per caller, open every day 06:00–22:00 Eastern with 15-minute slots."""
    ids: list[str] = []
    with psycopg.connect(tools_url) as conn, conn.transaction():
        for i in range(n):
            broker = uuid.uuid4()
            ids.append(str(broker))
            conn.execute(
                "INSERT INTO brokers (id, name, company, nmls, phone, email, timezone,"
                " appointment_minutes) VALUES (%s, %s, 'Bench Lending', %s, '+12025550100',"
                " 'bench@example.com', 'America/New_York', 15)",
                (broker, f"Bench Broker {i}", str(9_000_000 + i)),
            )
            for day in range(1, 8):
                conn.execute(
                    "INSERT INTO broker_working_hours VALUES (%s, %s, '06:00', '22:00')",
                    (broker, day),
                )
    return ids


def synthetic_corpus(tools_url: str, target: int, embed_all: bool, seed: int = 7) -> int:
    """Add passages until the knowledge base holds ``target``; returns how many were added."""
    rng = random.Random(seed)
    noise = np.random.default_rng(seed)
    docs = load_documents()
    sentences = [
        (p.section, s) for d in docs for p in d.passages for s in split_sentences(p.content)
    ]
    model = OnnxMiniLM(threads=os.cpu_count() or 2)
    sentence_vectors = model.embed_sync([f"{sec}. {s}" for sec, s in sentences])
    existing = sum(len(d.passages) for d in docs)
    count = max(0, target - existing)
    rows: list[tuple[Any, ...]] = []
    texts: list[str] = []
    for i in range(count):
        picks = rng.sample(range(len(sentences)), rng.choice((2, 3)))
        section = f"{sentences[picks[0]][0]} ({i})"
        content = " ".join(sentences[j][1] for j in picks)
        vector = sentence_vectors[picks].sum(axis=0)
        vector = vector / np.linalg.norm(vector) + noise.normal(0, 0.02, vector.shape[0])
        rows.append((section, content, vector / np.linalg.norm(vector)))
        texts.append(f"{section}. {content}")
    if embed_all and texts:
        print(f"embedding {len(texts)} synthetic passages with the model (slow)...", flush=True)
        real = np.concatenate(
            [model.embed_sync(texts[i : i + 32]) for i in range(0, len(texts), 32)]
        )
        rows = [(sec, content, real[k]) for k, (sec, content, _) in enumerate(rows)]
    with psycopg.connect(tools_url) as conn:
        register_vector(conn)
        with conn.transaction():
            per_doc = 100
            for d in range(0, count, per_doc):
                doc_id = uuid.uuid4()
                conn.execute(
                    "INSERT INTO kb_documents (id, source, title, content_hash)"
                    " VALUES (%s, %s, %s, 'bench')",
                    (doc_id, f"bench/synthetic-{d // per_doc:03d}.md", "Synthetic"),
                )
                with (
                    conn.cursor() as cur,
                    cur.copy(
                        "COPY kb_chunks (id, document_id, ordinal, section, content, embedding,"
                        " embedding_model) FROM STDIN"
                    ) as copy,
                ):
                    for k, (sec, content, vec) in enumerate(rows[d : d + per_doc]):
                        text = "[" + ",".join(f"{x:.6f}" for x in vec) + "]"
                        copy.write_row((uuid.uuid4(), doc_id, k, sec, content, text,
                                        OnnxMiniLM.model_id))  # fmt: skip
        conn.execute("ANALYZE kb_chunks")
    return count


# ---- the client ----------------------------------------------------------------------------


@dataclass
class Client:
    nc: Any
    #: (tool, latency in the service) from the audit events, as they arrive
    audited: list[tuple[str, float]] = field(default_factory=list)

    async def listen(self) -> None:
        """The service's own timing of each request: the audit event's ``latency_ms``."""

        async def on_audit(msg: Any) -> None:
            event = codec.decode(msg.data, ToolInvoked)
            self.audited.append((event.tool.value, event.latency_ms))

        await self.nc.subscribe("calls.*.tool", cb=on_audit)

    async def ask(self, req: ToolRequest) -> tuple[ToolOutcome, float]:
        sent = time.perf_counter()
        msg = await self.nc.request(tool_subject(TOOL_OF[type(req)]), codec.encode(req), 10)
        elapsed = (time.perf_counter() - sent) * 1000
        return codec.decode(msg.data, ToolReply).result, elapsed


_numbers = iter(range(10_000_000))


def new_phone() -> str:
    return f"+1202{5_550_000 + next(_numbers) % 4_450_000:07d}"


@dataclass
class Caller:
    client: Client
    broker_id: str
    call_id: str = field(default_factory=new_call_id)
    phone: str = field(default_factory=new_phone)
    lead_id: str | None = None
    verified: bool = False

    @property
    def session(self) -> ToolSession:
        return ToolSession(call_id=self.call_id, lead_id=self.lead_id, verified=self.verified,
                           caller_number=self.phone, caller_timezone="America/Chicago")  # fmt: skip

    async def start(self) -> None:
        """A new caller: the call started (as the gateway does: the only source of a tools
        session), bound (and, being new, verified) and qualified."""
        started = CallStarted(call_id=self.call_id, direction=CallDirection.INBOUND,
                              from_number=self.phone, to_number="+18005550100")  # fmt: skip
        await publish_event(self.client.nc.jetstream(), call_subject(self.call_id, "started"),
                            started)  # fmt: skip
        found, _ = await self.client.ask(LookupLead(session=self.session))
        assert isinstance(found, LeadLookupResult) and found.created, found
        self.lead_id, self.verified = found.lead_id, found.verified
        q, _ = await self.client.ask(RecordQualification(
            session=self.session, age=70, is_homeowner=True, primary_residence=True,
            property_value=500_000, mortgage_balance=50_000))  # fmt: skip
        assert isinstance(q, QualificationResult) and q.qualified, q


Op = Callable[[Caller], Awaitable[tuple[ToolOutcome, float]]]


async def availability(c: Caller) -> tuple[ToolOutcome, float]:
    return await c.client.ask(GetAvailability(session=c.session, broker_id=c.broker_id))


async def booking(c: Caller) -> tuple[ToolOutcome, float]:
    fresh = Caller(c.client, c.broker_id)
    await fresh.start()
    offered, _ = await c.client.ask(
        GetAvailability(session=fresh.session, broker_id=c.broker_id, limit=1)
    )
    assert isinstance(offered, AvailabilityResult) and offered.slots, offered
    return await c.client.ask(BookAppointment(
        session=fresh.session, slot_id=offered.slots[0].slot_id,
        idempotency_key=uuid.uuid4().hex))  # fmt: skip


async def kb_search(c: Caller) -> tuple[ToolOutcome, float]:
    return await c.client.ask(SearchKnowledge(session=c.session, query=random.choice(QUESTIONS)))


EXPECTED = {
    availability: AvailabilityResult,
    booking: AppointmentBooked,
    kb_search: KnowledgeResult,
}


TOOL_NAME = {availability: "get_availability", booking: "book_appointment",
             kb_search: "search_knowledge"}  # fmt: skip


@dataclass
class Run:
    samples: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    wall_s: float = 0.0
    in_service: list[float] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        out: dict[str, Any] = dict(summary(self.samples))
        out["per_s"] = round(len(self.samples) / self.wall_s, 1) if self.wall_s else 0.0
        if self.errors:
            out["errors"] = self.errors
        if self.in_service:
            inside = summary(self.in_service)
            out["in_service"] = {"p50": inside["p50"], "p99": inside["p99"]}
        return out


async def phase(callers: list[Caller], op: Op, per_caller: int, think_ms: float,
                stop: asyncio.Event | None = None) -> Run:  # fmt: skip
    """Every caller runs ``op`` ``per_caller`` times (or until ``stop``), pausing between."""
    run = Run()
    expected = EXPECTED[op]  # type: ignore[index]
    client = callers[0].client
    await asyncio.sleep(0.3)  # audits of the previous phase arrive
    seen = len(client.audited)

    async def one(c: Caller) -> None:
        await asyncio.sleep(random.random() * think_ms / 1000)  # stagger the starts
        for _ in range(per_caller):
            if stop is not None and stop.is_set():
                return
            result, ms = await op(c)
            if isinstance(result, expected):
                run.samples.append(ms)
            else:
                code = result.code.value if isinstance(result, ToolError) else type(result).__name__
                run.errors[code] = run.errors.get(code, 0) + 1
            if think_ms:
                await asyncio.sleep(random.expovariate(1000 / think_ms))

    started = time.perf_counter()
    await asyncio.gather(*(one(c) for c in callers))
    run.wall_s = time.perf_counter() - started
    await asyncio.sleep(0.3)
    tool = TOOL_NAME[op]  # type: ignore[index]
    run.in_service = [ms for name, ms in client.audited[seen:] if name == tool]
    return run


async def saturated_kb_then_availability(
    kb_callers: list[Caller], av_callers: list[Caller], per_caller: int, think_ms: float
) -> tuple[Run, Run]:
    """Availability (paced) measured while other callers keep KB search busy (closed loop)."""
    stop = asyncio.Event()
    kb = asyncio.create_task(phase(kb_callers, kb_search, 10**9, 0.0, stop))
    await asyncio.sleep(0.5)  # the KB queue fills up
    av = await phase(av_callers, availability, per_caller, think_ms)
    stop.set()
    return av, await kb


# ---- the service process -------------------------------------------------------------------


def start_service(nats_url: str, db: str, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "NATS_URL": nats_url, "DATABASE_URL": db,
           "EC_TOOLS_DATABASE_URL": service_url(db, "tools")}  # fmt: skip
    with open(log, "wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "services.ops.cli", "-v", "serve", "tools"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip


async def wait_ready(client: Client, tools_url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the tools service exited")
        try:
            await client.ask(LookupLead(session=ToolSession(call_id=new_call_id())))
            break
        except Exception:
            await asyncio.sleep(0.2)
    while time.monotonic() < deadline:  # the seed passages are embedded at start-up
        with psycopg.connect(tools_url) as conn:
            row = conn.execute("SELECT count(*) - count(embedding) FROM kb_chunks").fetchone()
        if row and row[0] == 0:
            await asyncio.sleep(1.0)  # word statistics refreshed after embedding
            with psycopg.connect(tools_url, autocommit=True) as conn:
                conn.execute("VACUUM ANALYZE kb_chunks")  # before autovacuum does it mid-run
            return
        await asyncio.sleep(0.2)
    raise RuntimeError("the tools service did not become ready")


# ---- main ----------------------------------------------------------------------------------


async def measure(args: argparse.Namespace, nats_url: str, db: str, log: Path) -> dict[str, Any]:
    tools_url = service_url(db, "tools")
    seed_all(db)
    brokers = bench_brokers(tools_url, args.callers)
    started = time.perf_counter()
    added = synthetic_corpus(tools_url, args.chunks, args.embed_all)
    print(f"corpus: {added} synthetic passages added in {time.perf_counter() - started:.1f} s")
    proc = start_service(nats_url, db, log)
    nc = await connect(nats_url, "tools-bench")
    client = Client(nc)
    await client.listen()
    try:
        await wait_ready(client, tools_url, proc)
        with psycopg.connect(tools_url) as conn:
            chunks = conn.execute("SELECT count(*) FROM kb_chunks").fetchone()[0]  # type: ignore[index]
        callers = [Caller(client, brokers[i]) for i in range(args.callers)]
        await asyncio.gather(*(c.start() for c in callers))
        for c in callers:  # warm up: connections, caches, the model
            await availability(c)
            await kb_search(c)
        figures: dict[str, Any] = {}
        shapes = [("", args.think_ms, callers), ("_closed_loop", 0.0, callers),
                  ("_one_caller", 0.0, callers[:1])]  # fmt: skip
        for name, op, n in [("availability", availability, args.requests),
                            ("booking", booking, max(4, args.requests // 2)),
                            ("kb_search", kb_search, args.requests)]:  # fmt: skip
            for suffix, think, who in shapes:
                count = n if len(who) > 1 else 100
                figures[name + suffix] = (await phase(who, op, count, think)).figures()
                print(f"{name + suffix:<26} {figures[name + suffix]}", flush=True)
        av, kb = await saturated_kb_then_availability(
            callers[:40], callers[40:], args.requests, args.think_ms
        )
        figures["availability_while_kb_saturated"] = av.figures()
        figures["kb_search_saturating"] = kb.figures()
        print(f"availability while KB saturated {figures['availability_while_kb_saturated']}")
        print(f"KB saturating                   {figures['kb_search_saturating']}")
    finally:
        await nc.drain()
        proc.terminate()
        proc.wait(timeout=30)
    met = {k: figures[k]["p99"] <= target for k, target in TARGETS_MS.items()}
    return {
        "config": {
            "callers": args.callers,
            "requests_per_caller": args.requests,
            "think_ms_mean": args.think_ms,
            "kb_chunks": chunks,
            "synthetic_vectors": "model" if args.embed_all else "derived from sentence vectors",
            "service": "separate process, EC_TOOLS_* defaults",
            "embedder": OnnxMiniLM.model_id,
        },
        "targets_p99_ms": TARGETS_MS,
        "met": met,
        "figures": figures,
    }


def main() -> int:
    unwind_on_sigterm()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--callers", type=int, default=50)
    parser.add_argument("--requests", type=int, default=30, help="per caller and phase")
    parser.add_argument("--think-ms", type=float, default=1000.0, help="mean pause per caller")
    parser.add_argument("--chunks", type=int, default=10_000)
    parser.add_argument("--embed-all", action="store_true", help="embed every synthetic passage")
    args = parser.parse_args()
    if args.callers < 41:
        parser.error("--callers must be at least 41 (40 saturate the KB, the rest measure)")
    with infrastructure() as infra, tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "tools.log"
        try:
            data = asyncio.run(measure(args, infra.nats_url, infra.database_url, log))
        except BaseException:
            print(log.read_text()[-3000:] if log.exists() else "", file=sys.stderr)
            raise
    path = write("tools", data)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
