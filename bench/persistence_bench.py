"""Persistence benchmark: ingest throughput, event→row latency, store.* read latency.

The service runs as its own process (as deployed) against a real nats-server and Postgres
(fsync on). Run: `.venv/bin/python bench/persistence_bench.py` → bench/results/persistence.json.

- ingest: publish a blast of events as fast as one publisher can, measure rows/s over the
  window in which the writer committed them (processed_events.processed_at, clock_timestamp).
- event→row: offer a steady load (default 10,000 events/s for 10 s); latency per event =
  processed_at (row insert) − occurred_at (set just before publishing).
- reads: 50 concurrent requesters: store.template (config cache, 5 s) and store.caller_context
  for numbers never seen (uncached: a database read each).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from typing import Any

import psycopg
from common import ROOT, Infra, infrastructure, summary, unwind_on_sigterm, write

from contracts import codec
from contracts.base import new_call_id
from contracts.bus import connect
from contracts.calls import CallDirection, CallStarted
from contracts.conversation import Speaker, TranscriptSegment
from contracts.store import GetCallerContext, GetTemplate
from contracts.subjects import Header, StoreQuery, store_subject
from services.ops.migrate import service_url
from services.ops.presence import instances
from services.ops.seeding import seed_all


def events_for(call_id: str, n: int, caller: str) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = [(f"calls.{call_id}.started", None)]
    out += [(f"calls.{call_id}.transcript", seq) for seq in range(n - 1)]
    return out


def make(subject: str, seq: Any, call_id: str, caller: str) -> Any:
    if seq is None:
        return CallStarted(call_id=call_id, direction=CallDirection.INBOUND, from_number=caller)
    speaker = Speaker.CALLER if seq % 2 else Speaker.AGENT
    text = "Well, I have been thinking about it for a while now."
    return TranscriptSegment(call_id=call_id, seq=seq, speaker=speaker, text=text)


async def offer(nc: Any, total: int, rate: float | None, calls: int) -> None:
    """Publish ``total`` events over ``calls`` calls at ``rate``/s (None: as fast as possible).
    Core publishes with Nats-Msg-Id: the CALLS stream captures them, as the gateway's are."""
    ids = [new_call_id() for _ in range(calls)]
    per_call = total // calls
    plan = []
    for k in range(per_call):
        for i, cid in enumerate(ids):
            plan.append((cid, i, None if k == 0 else k - 1))
    started = time.perf_counter()
    tick = 0.005
    for n, (cid, i, seq) in enumerate(plan):
        if rate is not None and n % max(1, int(rate * tick)) == 0:
            due = started + n / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
        subject = f"calls.{cid}.{'started' if seq is None else 'transcript'}"
        event = make(subject, seq, cid, f"+1206{5550000 + i:07d}"[:12])
        await nc.publish(subject, codec.encode(event), headers={Header.MSG_ID: event.event_id})
        if n % 500 == 0:
            await nc.flush()
    await nc.flush()


def rows(dsn: str) -> int:
    with psycopg.connect(dsn) as conn:
        return int(conn.execute("SELECT count(*) FROM processed_events").fetchone()[0])  # type: ignore[index]


async def wait_rows(dsn: str, target: int, limit_s: float = 120) -> None:
    deadline = time.monotonic() + limit_s
    while rows(dsn) < target:
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {rows(dsn)} of {target} rows after {limit_s}s")
        await asyncio.sleep(0.1)


def window(dsn: str) -> tuple[float, list[float]]:
    with psycopg.connect(dsn) as conn:
        first, last = conn.execute(
            "SELECT min(processed_at), max(processed_at) FROM processed_events"
        ).fetchone()  # type: ignore[misc]
        lat = [float(r[0]) for r in conn.execute(
            "SELECT extract(epoch FROM processed_at - occurred_at) * 1000 FROM processed_events"
        )]  # fmt: skip
        conn.execute("TRUNCATE processed_events, transcript_segments, calls CASCADE")
        conn.commit()
    return (last - first).total_seconds(), lat


async def reads(nc: Any, concurrency: int = 50, per_worker: int = 100) -> dict[str, Any]:
    """Half template reads (served from the config cache after the first), half caller-context
    reads for numbers never asked before (always a database read: the cold path)."""
    out: dict[str, list[float]] = {"caller_context_uncached": [], "template": []}

    async def worker(w: int) -> None:
        for i in range(per_worker):
            if i % 2:
                subject, key = store_subject(StoreQuery.TEMPLATE), "template"
                req: Any = GetTemplate(dialled_number="+18005550242")
            else:
                number = f"+1415{w:03d}{i:04d}"
                subject, req, key = (store_subject(StoreQuery.CALLER_CONTEXT),
                                     GetCallerContext(call_id=new_call_id(), caller_number=number),
                                     "caller_context_uncached")  # fmt: skip
            t0 = time.perf_counter()
            await nc.request(subject, codec.encode(req), timeout=5)
            out[key].append((time.perf_counter() - t0) * 1000)

    await asyncio.gather(*(worker(w) for w in range(concurrency)))
    return {f"store_{k}": summary(v) for k, v in out.items()}


async def run(infra: Infra, rate: float, seconds: float, blast: int) -> dict[str, Any]:
    seed_all(infra.database_url)
    dsn = service_url(infra.database_url, "persistence")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("EC_") or k.startswith("EC_NATS_PASSWORD_")
    }
    env |= {"NATS_URL": infra.nats_url, "DATABASE_URL": infra.database_url}
    proc = subprocess.Popen([sys.executable, "-m", "services.ops.cli", "serve", "persistence"],
                            env=env, cwd=ROOT)  # fmt: skip
    os.environ["NATS_URL"] = infra.nats_url
    try:
        while not await instances("persistence", wait=0.2):
            await asyncio.sleep(0.1)
        nc = await connect(infra.nats_url, "bench")
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("TRUNCATE processed_events")
        # 1) blast: throughput
        await offer(nc, blast, None, calls=100)
        await wait_rows(dsn, blast)
        span, _ = window(dsn)
        throughput = blast / span if span > 0 else float("inf")
        # 2) steady offered load: latency
        total = int(rate * seconds)
        t0 = time.perf_counter()
        await offer(nc, total, rate, calls=200)
        offered = total / (time.perf_counter() - t0)
        await wait_rows(dsn, total)
        _, latencies = window(dsn)
        read_figures = await reads(nc)
        await nc.close()
    finally:
        proc.terminate()
        proc.wait(15)
    return {
        "persist_ingest_events_per_s": round(throughput),
        "persist_ingest_blast_events": blast,
        "persist_event_to_row": summary(latencies) | {"offered_per_s": round(offered)},
        **read_figures,
    }


def main() -> None:
    unwind_on_sigterm()
    rate = float(os.environ.get("BENCH_RATE", "10000"))
    seconds = float(os.environ.get("BENCH_SECONDS", "10"))
    blast = int(os.environ.get("BENCH_BLAST", "50000"))
    with infrastructure() as infra:
        figures = asyncio.run(run(infra, rate, seconds, blast))
    path = write("persistence", {"method": __doc__, "figures": figures})
    for key, value in figures.items():
        print(f"{key:<32} {value}")
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
