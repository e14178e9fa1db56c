"""The gateway's side of the benchmark: simulated phone lines driving calls through the
gateway's own bus code (``services.agent_gateway.bridge.CallBridge``: started, caller
transcript + turn, reply chunks in order, agent transcript, ended) — the same contracts and
the same publishing as a real call, without audio.

A *line* makes calls back to back from new numbers (each call a new lead). Each call: the
greeting, then up to ``turns_per_call`` caller turns, then the caller hangs up. The first turn
of a call gives the caller's details (the scripted LLM takes them down with one tool round);
the others are plain questions the LLM answers at once, with no tool — those are the turn
overhead samples. Pacing: a turn every ``every_s`` seconds on a fixed rhythm, or after a
"think" pause when ``every_s`` is 0.

Runs in its own process (``run_plan`` via multiprocessing), so the load generator's CPU is
not the services'. Progress and results go back to the parent on a queue.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import time
from dataclasses import dataclass, field
from typing import Any

import psycopg

from contracts.base import new_call_id
from contracts.bus import connect
from contracts.calls import CallDirection, EndReason
from contracts.conversation import Speaker
from services.agent_gateway.bridge import CallBridge, NoReply, Reply, Timing

DIALLED = "+18005550100"
FIRST_WORDS = "Yes, this is Ann Lee, I live in Denver, Colorado."
QUESTION = "Can you tell me a little more about how that works?"
#: the bench's replies must never need the gateway's safety net, so it is set past them
TIMING = Timing(filler_after_s=2.0, reply_timeout_s=4.5, stall_timeout_s=4.5)


@dataclass(frozen=True)
class Plan:
    """One phase of load. ``steps``: concurrent lines per step (capacity), else one step."""

    name: str
    steps: tuple[int, ...]
    step_s: float = 20.0  # measured time per step, after the ramp
    ramp_s: float = 5.0  # new lines start spread over this (and it is not measured)
    every_s: float = 5.0  # a turn every … seconds per line (0: think pauses instead)
    think_s: tuple[float, float] = (0.0, 0.0)
    turns_per_call: int = 10  # the longest call (the graph caps a node's visits)
    max_turns: int = 0  # stop after this many measured turns (0: by time)
    goal_p99_ms: float = 0.0  # capacity: stop stepping past this p99 (0: run every step)
    hold_s: float = 0.0  # capacity: after stepping, hold the best step this long (profile)
    number_prefix: str = "+1303"
    database_url: str = ""  # to check every acknowledged event was persisted


@dataclass
class Tally:
    """What one step measured."""

    overhead_ms: list[float] = field(default_factory=list)  # no-tool turns
    tool_turn_ms: list[float] = field(default_factory=list)  # first turns (one tool round)
    greeting_ms: list[float] = field(default_factory=list)
    lost: int = 0  # no reply, a reply cut short, or the gateway's filler needed
    errors: list[str] = field(default_factory=list)

    def report(self) -> dict[str, Any]:
        from common import summary

        return {
            "turn_overhead": summary(self.overhead_ms),
            "first_turn_with_tool": summary(self.tool_turn_ms),
            "greeting_ready": summary(self.greeting_ms),
            "lost_replies": self.lost,
            "errors": self.errors[:5],
        }


class Load:
    def __init__(self, nc: Any, plan: Plan, out: Any) -> None:
        self.nc, self.plan, self.out = nc, plan, out
        self.tally: Tally | None = None  # None: not measuring
        self.stopping = False
        self.measured = 0
        self.enough = asyncio.Event()
        self.numbers = itertools.count(random.randrange(1_000_000))
        self.expected: dict[str, int] = {}  # finished calls → transcript segments published
        self.lines: list[asyncio.Task[None]] = []
        self.wanted = 0  # lines numbered at or past this hang up after their current turn

    def number(self) -> str:
        return f"{self.plan.number_prefix}{next(self.numbers) % 10_000_000:07d}"

    # ---- one call ---------------------------------------------------------------------

    def over(self, line: int) -> bool:
        return self.stopping or line >= self.wanted

    def call_length(self, first: bool) -> int:
        """Turns in the next call. Calls differ in length, and a line's first call joins as if
        already under way, so call set-ups spread evenly in time instead of arriving in waves
        (steady traffic, not every caller dialling at the same second)."""
        most = self.plan.turns_per_call
        if self.plan.every_s == 0:
            return most
        return random.randint(1, most) if first else random.randint(max(1, most // 2), most)

    async def call(self, line: int, line_clock: list[float], turns: int) -> None:
        bridge = CallBridge(self.nc, new_call_id(), TIMING)
        await bridge.open()
        segments = 0
        try:
            t0 = time.perf_counter()
            await bridge.started(direction=CallDirection.INBOUND, caller=self.number(),
                                 dialled=DIALLED, room=None, template_id=None)  # fmt: skip
            greeting = await self._reply(bridge, None, t0)
            if greeting is not None:
                segments += 1
                self._sample("greeting_ms", greeting)
            for n in range(turns):
                await self._pace(line_clock)
                if self.over(line):
                    break
                t0 = time.perf_counter()
                turn_id = await bridge.caller_said(FIRST_WORDS if n == 0 else QUESTION)
                segments += 1
                took = await self._reply(bridge, turn_id, t0)
                if took is None:
                    break  # the call is broken: hang up, a new call follows
                segments += 1
                self._sample("tool_turn_ms" if n == 0 else "overhead_ms", took)
                if n and self.tally is not None:
                    self.measured += 1
                    if self.plan.max_turns and self.measured >= self.plan.max_turns:
                        self.enough.set()
        finally:
            await bridge.ended(EndReason.CALLER_HUNG_UP)
            await bridge.close()  # waits until JetStream acknowledged every event
            self.expected[bridge.call_id] = segments

    async def _reply(self, bridge: CallBridge, turn_id: str | None, t0: float) -> float | None:
        """First chunk latency in ms; None (and counted lost) if the reply failed."""
        out = Reply()
        first = None
        try:
            async for _ in bridge.reply_stream(turn_id, out):
                if first is None:
                    first = time.perf_counter()
        except NoReply:
            pass
        if first is None or not out.complete or out.filled:
            if self.tally is not None:
                self.tally.lost += 1
                self.tally.errors.append(
                    f"{'no reply' if first is None else 'filler' if out.filled else 'cut short'}"
                )
            return None
        await bridge.transcript(Speaker.AGENT, out.text)
        return (first - t0) * 1000

    def _sample(self, kind: str, ms: float) -> None:
        if self.tally is not None:
            getattr(self.tally, kind).append(ms)

    async def _pace(self, line_clock: list[float]) -> None:
        loop = asyncio.get_running_loop()
        if self.plan.every_s > 0:
            line_clock[0] += self.plan.every_s
            await asyncio.sleep(max(0.0, line_clock[0] - loop.time()))
        elif self.plan.think_s[1] > 0:
            await asyncio.sleep(random.uniform(*self.plan.think_s))

    # ---- lines ------------------------------------------------------------------------

    async def line(self, index: int, delay: float) -> None:
        await asyncio.sleep(delay)
        clock = [asyncio.get_running_loop().time()]
        first = True
        while not self.over(index):
            try:
                await self.call(index, clock, self.call_length(first))
                first = False
            except Exception as err:  # keep the line going; the step reports it
                if self.tally is not None:
                    self.tally.errors.append(f"{type(err).__name__}: {err}")
                await asyncio.sleep(0.5)

    def add_lines(self, n: int) -> None:
        spread = self.plan.ramp_s if self.plan.every_s == 0 else self.plan.every_s
        self.wanted += n
        for _ in range(n):
            index = len(self.lines)
            self.lines.append(asyncio.create_task(self.line(index, random.uniform(0, spread))))

    # ---- persistence check ------------------------------------------------------------

    async def unpersisted(self, wait_s: float) -> int:
        """Transcript segments of finished calls (acknowledged by JetStream) not yet in
        Postgres after waiting up to ``wait_s``; calls without their ``ended`` count too."""
        if not self.plan.database_url or not self.expected:
            return 0
        deadline = time.monotonic() + wait_s
        missing = 0
        async with await psycopg.AsyncConnection.connect(
            self.plan.database_url, autocommit=True
        ) as conn:
            while True:
                ids = list(self.expected)
                cur = await conn.execute(
                    "SELECT c.call_id, c.ended_at IS NOT NULL, count(t.id) FROM persistence.calls c"
                    " LEFT JOIN persistence.transcript_segments t USING (call_id)"
                    " WHERE c.call_id = ANY(%s) GROUP BY 1, 2",
                    (ids,),
                )
                seen = {row[0]: (row[1], row[2]) for row in await cur.fetchall()}
                missing = 0
                for call_id, want in self.expected.items():
                    ended, got = seen.get(call_id, (False, 0))
                    missing += max(0, want - got) + (0 if ended else 1)
                if missing == 0 or time.monotonic() > deadline:
                    return missing
                await asyncio.sleep(0.25)

    # ---- the plan ---------------------------------------------------------------------

    def send(self, *message: Any) -> None:
        self.out.put(message)

    async def run(self) -> None:
        plan, running, best = self.plan, 0, 0
        for step, lines in enumerate(plan.steps):
            self.add_lines(lines - running)
            running = lines
            await asyncio.sleep(plan.ramp_s)
            self.tally, self.measured = Tally(), 0
            self.enough.clear()
            self.send("measure_start", step, lines)
            t0 = time.perf_counter()
            try:
                await asyncio.wait_for(self.enough.wait(), plan.step_s)
            except TimeoutError:
                pass
            tally, self.tally = self.tally, None
            elapsed = time.perf_counter() - t0
            result = tally.report() | {
                "lines": lines,
                "measured_s": round(elapsed, 1),
                "turns_per_s": round(
                    (len(tally.overhead_ms) + len(tally.tool_turn_ms)) / elapsed, 1
                ),
                "calls_finished_so_far": len(self.expected),
            }
            self.send("measure_end", step, lines, result)
            result["unpersisted_after_10s"] = await self.unpersisted(10.0)
            self.send("step", step, lines, result)
            ok = (
                result["lost_replies"] == 0
                and result["unpersisted_after_10s"] == 0
                and (not plan.goal_p99_ms or within(result["turn_overhead"], plan.goal_p99_ms))
            )
            if plan.goal_p99_ms and not ok:
                break
            best = lines
        if plan.hold_s and best:
            await self.hold(best)
        self.stopping = True
        await asyncio.gather(*self.lines, return_exceptions=True)
        self.send("done", await self.unpersisted(30.0), len(self.expected))

    async def hold(self, best: int) -> None:
        """Back to the best step's load (excess lines hang up after their current turn), then
        hold."""
        self.wanted = best
        await asyncio.gather(*self.lines[best:], return_exceptions=True)
        self.lines = self.lines[:best]
        await asyncio.sleep(self.plan.ramp_s)
        self.tally = Tally()
        self.send("hold_start", best)
        await asyncio.sleep(self.plan.hold_s)
        tally, self.tally = self.tally, None
        self.send("hold_end", best, tally.report())


def within(figure: dict[str, Any], goal_ms: float) -> bool:
    """Measured (some samples) and p99 within the goal."""
    return bool(figure["count"]) and figure["p99"] <= goal_ms


async def _main(nats_url: str, plan: Plan, out: Any) -> None:
    nc = await connect(nats_url, f"bench-{plan.name}")
    try:
        await Load(nc, plan, out).run()
    finally:
        await nc.drain()


def run_plan(nats_url: str, plan: Plan, out: Any) -> None:
    """The child process's entry point."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    try:
        asyncio.run(_main(nats_url, plan, out))
    except BaseException as err:
        out.put(("failed", f"{type(err).__name__}: {err}"))
        raise
