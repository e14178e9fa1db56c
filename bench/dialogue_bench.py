"""Dialogue benchmark: turn received → first reply chunk published.

The dialogue runs in-process (its composition root, real intake, real KV state, real reply
publishing) on a private nats-server, with an instant scripted LLM (no network), the in-memory
fake tools and a fake store (persistence is not involved). Measured inside the service, from the
moment the turn message is handed to the handler to the moment the first chunk is published.
Also reported: end to end as the gateway sees it (turn published → first chunk received).

The callers run in a second process, as the gateway would.

- one call: turns back to back (the next when the previous reply's final chunk arrived); a new
  call every six turns, so the graph's visit caps never end it early.
- 200 concurrent calls: 200 callers arriving over the first 2 s, then all talking at once;
  each waits for the reply, then "thinks" 0.2–0.6 s (≈400 turns/s), a new call every six turns.
- the offline policy, same two shapes.

Run: ``.venv/bin/python bench/dialogue_bench.py`` → ``bench/results/dialogue.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import random
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from common import summary, write

from contracts import codec
from contracts.bus import connect, ensure_streams, publish_event
from contracts.calls import CallDirection, CallStarted
from contracts.conversation import CallerTurn, ReplyChunk
from contracts.runtime import Stats
from contracts.subjects import call_subject
from services.dialogue import bootstrap
from services.dialogue.context import Tuning
from services.dialogue.intake import IntakeConfig
from services.dialogue.ports import LlmEvent, LlmRequest, TextDelta, ToolCall
from services.ops.infra import NatsServer
from tests.dialogue.fakes.memory import FakeClock, FakeStore
from tests.dialogue.fakes.tools import FakeTools

IDENTITY = '{"first_name": "Ann", "last_name": "Lee", "city": "Denver", "state": "CO"}'
ANSWER = [TextDelta("Of course, "), TextDelta("I'd be glad to help with that. "),
          TextDelta("What else would you like to know?")]  # fmt: skip


class InstantLlm:
    """Answers at once: on a call's first turn it takes the caller's details (one tool round,
    as a real model would), then the same two sentences every time."""

    def __init__(self) -> None:
        self.requests = 0

    async def stream(self, request: LlmRequest) -> AsyncIterator[LlmEvent]:
        self.requests += 1
        said = [m for m in request.messages if m["role"] == "user"]
        tools = {t["function"]["name"] for t in request.tools}
        if len(said) == 1 and request.messages[-1]["role"] == "user" and "verify_caller" in tools:
            yield ToolCall(id="call_1", name="verify_caller", arguments=IDENTITY)
            return
        for event in ANSWER:
            yield event


class Caller:
    def __init__(self, nc: Any, call_id: str) -> None:
        self.nc, self.call_id = nc, call_id
        self.final: dict[str, asyncio.Event] = {}
        self.first_at: dict[str, float] = {}

    async def open(self) -> None:
        async def on_chunk(msg: Any) -> None:
            chunk = codec.decode(msg.data, ReplyChunk)
            if chunk.text and chunk.reply_id not in self.first_at:
                self.first_at[chunk.reply_id] = time.perf_counter()
            if chunk.final:
                self.final.setdefault(chunk.reply_id, asyncio.Event()).set()

        await self.nc.subscribe(call_subject(self.call_id, "reply"), cb=on_chunk)
        self.final[f"rpl_greet_{self.call_id}"] = asyncio.Event()
        started = CallStarted(call_id=self.call_id, direction=CallDirection.INBOUND,
                              from_number="+12065550100", to_number="+18005550100")  # fmt: skip
        await publish_event(self.nc.jetstream(), call_subject(self.call_id, "started"), started)
        await asyncio.wait_for(self.final[f"rpl_greet_{self.call_id}"].wait(), 10)

    async def turn(self, n: int) -> float:
        turn_id = f"{self.call_id}-{n}"
        reply_id = f"rpl_{turn_id}"
        self.final[reply_id] = asyncio.Event()
        sent = time.perf_counter()
        turn = CallerTurn(call_id=self.call_id, turn_id=turn_id, seq=n + 1,
                          text="Can you tell me a little more about how it works?")  # fmt: skip
        await publish_event(self.nc.jetstream(), call_subject(self.call_id, "turn"), turn)
        await asyncio.wait_for(self.final[reply_id].wait(), 10)
        return (self.first_at[reply_id] - sent) * 1000


TURNS_PER_CALL = 6  # a realistic call length, below the nodes' visit caps


async def callers(
    nats_url: str, lines: int, turns: int, think: tuple[float, float], ramp: float
) -> dict[str, Any]:
    """The gateway's side: ``lines`` callers at once, each making calls of six turns."""
    client = await connect(nats_url, "bench-callers")
    end_to_end: list[float] = []
    calls = 0

    async def line() -> None:
        nonlocal calls
        await asyncio.sleep(random.uniform(0, ramp))  # callers arrive over the first seconds
        done = 0
        while done < turns:
            person = Caller(client, f"call_bench{random.getrandbits(40):010x}")
            calls += 1
            await person.open()
            for n in range(min(TURNS_PER_CALL, turns - done)):
                end_to_end.append(await person.turn(n))
                done += 1
                await asyncio.sleep(random.uniform(*think))

    started = time.perf_counter()
    await asyncio.gather(*(line() for _ in range(lines)))
    elapsed = time.perf_counter() - started
    await client.drain()
    return {"end_to_end": end_to_end, "calls": calls, "elapsed": elapsed}


def _load_process(nats_url: str, lines: int, turns: int, think: tuple[float, float],
                  ramp: float, out: Any) -> None:  # fmt: skip
    _fast_loop()
    out.put(asyncio.run(callers(nats_url, lines, turns, think, ramp)))


async def scenario(nats_url: str, *, lines: int, turns: int, think: tuple[float, float],
                   llm: bool, ramp: float = 0.0) -> dict[str, Any]:  # fmt: skip
    """The service in this process; the callers in another (as the gateway would be)."""
    inside: list[float] = []
    greetings: list[float] = []
    store = FakeStore()
    settings = bootstrap.Settings(
        nats_url=nats_url,
        intake=IntakeConfig(durable=f"dialogue-{random.getrandbits(32):x}", pull_loops=8),
        tuning=Tuning(),
        llm_env={"OPENAI_API_KEY": "bench"} if llm else {},
    )
    model = InstantLlm()
    over = bootstrap.Overrides(
        tools=FakeTools(), store=store, clock=FakeClock(), llm=model,
        on_timing=lambda kind, received, first: (inside if kind == "turn" else greetings).append(
            (first - received) * 1000
        ),
    )  # fmt: skip
    service_nc = await connect(nats_url, "dialogue-bench")
    stop = await bootstrap.start(service_nc, Stats(service="dialogue"), settings, over)
    bootstrap.tune_gc()  # as `equity-connect serve dialogue` does
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    load = ctx.Process(target=_load_process, args=(nats_url, lines, turns, think, ramp, out))
    load.start()
    try:
        done: dict[str, Any] = await asyncio.get_running_loop().run_in_executor(None, out.get)
    finally:
        load.join(timeout=30)
        await stop()
        await service_nc.drain()
    return {
        "turn_received_to_first_chunk_ms": summary(inside),
        "call_started_to_greeting_chunk_ms": summary(greetings),
        "turn_published_to_first_chunk_received_ms": summary(done["end_to_end"]),
        "turns_per_s": round(len(done["end_to_end"]) / done["elapsed"], 1),
        "store_reads_per_call": round(len(store.asked) / max(done["calls"], 1), 2),
        "llm_requests_per_turn": round(model.requests / max(len(done["end_to_end"]), 1), 2),
        "calls": done["calls"],
    }


def _fast_loop() -> str:
    try:
        import uvloop

        uvloop.install()
        return "uvloop"
    except ImportError:
        return "asyncio"


async def run(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="ec-dialogue-bench-") as tmp:
        server = NatsServer(Path(tmp) / "nats")
        nats_url = f"nats://127.0.0.1:{server.start()}"
        os.environ.update(server.credentials())  # each identity's password, for every client
        try:
            nc = await connect(nats_url, "bench-setup")
            await ensure_streams(nc.jetstream())
            await nc.drain()
            results: dict[str, Any] = {}
            for policy, llm in (("llm_instant", True), ("offline", False)):
                results[f"{policy}_one_call"] = await scenario(
                    nats_url, lines=1, turns=args.turns, think=(0.0, 0.0), llm=llm)  # fmt: skip
                results[f"{policy}_200_calls"] = await scenario(
                    nats_url, lines=args.calls, turns=args.concurrent_turns, think=(0.2, 0.6),
                    llm=llm, ramp=2.0)  # fmt: skip
            return results
        finally:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=1000, help="turns on the single call")
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--concurrent-turns", type=int, default=12, help="turns per caller")
    parser.add_argument("--no-uvloop", action="store_true", help="the plain asyncio loop")
    args = parser.parse_args()
    loop = "asyncio" if args.no_uvloop else _fast_loop()
    load_before = os.getloadavg()
    results = asyncio.run(run(args))
    load_after = os.getloadavg()
    targets = {"one_call_p50_ms": 1.0, "one_call_p99_ms": 3.0, "200_calls_p99_ms": 10.0}
    path = write("dialogue", {"targets": targets, "event_loop": loop,
                              "load_average_before_after": [load_before, load_after],
                              "method": (__doc__ or "").strip().splitlines()[0],
                              "results": results})  # fmt: skip
    for name, figures in results.items():
        inside = figures["turn_received_to_first_chunk_ms"]
        e2e = figures["turn_published_to_first_chunk_received_ms"]
        print(f"{name:24} received→first chunk p50 {inside['p50']:.3f} p99 {inside['p99']:.3f} "
              f"max {inside['max']:.3f} ms (n={inside['count']}); end to end p50 {e2e['p50']:.3f} "
              f"p99 {e2e['p99']:.3f} ms; {figures['turns_per_s']} turns/s")  # fmt: skip
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
