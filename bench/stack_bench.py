"""The deployed stack under load: turn overhead, capacity, and the bus against in-process.

Everything runs as deployed — ``equity-connect serve persistence|tools|dialogue`` as three
processes, a private nats-server (JetStream, file storage) and Postgres (fsync on) — and the
callers in a fourth process driving calls through the gateway's own bus code
(``CallBridge``). The LLM is a named fake (services/dialogue/fakes/provider.py): inside the
dialogue (``EC_DIALOGUE_POLICY=scripted``) for the turn-overhead and capacity runs, so they
measure our code and the bus rather than an HTTP client; as an OpenAI-compatible server
process (bench/fake_llm.py) behind the real ``openai`` client for the end-to-end comparison.

- ``nats_round_trip_floor``: what one request/reply to another process costs on this machine
  (persistence's cached ``store.template``), back to back and after a 0.25 s pause.
- ``turn_overhead_1call``: one line, 150 measured turns 0.25 s apart (a call on a quiet
  system), no tool, instant LLM; caller turn published → first reply chunk received.
  ``greeting_ready`` (call started published → greeting's first chunk received) from the same
  calls.
- ``turn_overhead_200calls``: 200 lines at once, each a turn every 5 s (the capacity pacing),
  measured for 20 s.
- ``capacity``: lines stepped up (each a turn every 5 s; calls of 5–10 turns — a line's first
  call joins under way, 1–10 — then a new call from a new number, so call set-up — lead
  created, verified, details taken down — is part of the load, spread evenly in time); each
  step ramps for 5 s, then is measured for 15 s; the largest step whose
  no-tool turns keep p99 ≤ 20 ms with no lost reply (none missing, cut short or needing the
  gateway's filler) and every acknowledged event in Postgres within 10 s. CPU and memory
  (PSS) per process over each measured window. Then the best step is held for 15 s while
  py-spy samples the dialogue at 200 Hz (``dialogue_profile.txt``, collapsed stacks; the
  hold's own latency is perturbed by the sampling). Persistence runs at nice 10 (batch work).
- ``turn_e2e_bus`` / ``turn_e2e_inprocess``: a knowledge question — the provider takes
  300 ms to its first token, asks for ``search_knowledge``, and after the tool result takes
  another 300 ms and streams 40 tokens/s. Through the stack (bus) vs the same dialogue, tools
  and read code called in-process (bench/inprocess.py), 20 pairs, alternating.

Run: ``.venv/bin/python bench/stack_bench.py`` → ``bench/results/stack.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from callers import Plan, run_plan, within
from common import RESULTS, ROOT, infrastructure, summary, unwind_on_sigterm, write
from stack import Stack, snapshot, usage

from contracts import codec
from contracts.base import new_call_id
from contracts.bus import connect, ensure_streams
from contracts.calls import CallDirection, CallStarted, EndReason
from contracts.conversation import CallerTurn
from contracts.store import GetTemplate
from contracts.subjects import StoreQuery, store_subject
from services.agent_gateway.bridge import CallBridge, Reply
from services.dialogue.fakes.provider import KNOWLEDGE_QUESTION
from services.dialogue.handlers import Delivery
from services.ops.migrate import service_url
from services.ops.seeding import seed_all

QUESTION = KNOWLEDGE_QUESTION.capitalize() + " a reverse mortgage work?"
CAPACITY_GOAL_P99_MS = 20.0


async def drive(stack: Stack, plan: Plan, profile: Path | None = None) -> dict[str, Any]:
    """Run ``plan`` in the caller process; sample CPU / memory per process around each
    measured window; profile the dialogue while the best step is held."""
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    proc = ctx.Process(target=run_plan, args=(stack.infra.nats_url, plan, out))
    proc.start()

    def groups_now() -> dict[str, list[int]]:  # Postgres backends come and go: list them now
        return stack.groups({"callers": proc.pid or 0})

    groups = groups_now()
    loop = asyncio.get_running_loop()
    steps: list[dict[str, Any]] = []
    started: Any = None
    spy: subprocess.Popen[bytes] | None = None
    result: dict[str, Any] = {"steps": steps}
    try:
        while True:
            message = await loop.run_in_executor(None, out.get, True, 600)
            kind = message[0]
            if kind == "measure_start":
                groups = groups_now()
                started = snapshot(groups)
            elif kind == "measure_end":
                message[3]["processes"] = usage(started, snapshot(groups), groups)
                steps.append(message[3])
            elif kind == "step":
                steps[-1]["unpersisted_after_10s"] = message[3]["unpersisted_after_10s"]
                _print_step(plan.name, steps[-1])
            elif kind == "hold_start":
                groups = groups_now()
                started = snapshot(groups)
                if profile is not None:
                    spy = _py_spy(stack.procs["dialogue"].pid, plan.hold_s - 1, profile)
            elif kind == "hold_end":
                used = usage(started, snapshot(groups), groups)
                result["hold"] = message[2] | {"lines": message[1], "processes": used}
                _print_step(f"{plan.name} hold", result["hold"])
            elif kind == "done":
                result["unpersisted_at_end_after_30s"] = message[1]
                result["calls"] = message[2]
                break
            elif kind == "failed":
                raise RuntimeError(f"caller process failed: {message[1]}")
    finally:
        await loop.run_in_executor(None, proc.join, 60)
        if spy is not None:
            spy.wait(60)
    return result


def _print_step(name: str, step: dict[str, Any]) -> None:
    o = step["turn_overhead"]
    procs = step.get("processes", {})
    cpu = ", ".join(f"{k} {v['cpu_pct_of_one_core']:.0f}%" for k, v in procs.items())
    print(f"  {name}: {step['lines']} lines, {step.get('turns_per_s', '?')} turns/s: p50 "
          f"{o['p50']:.2f} p99 {o['p99']:.2f} max {o['max']:.2f} ms (n={o['count']}), lost "
          f"{step['lost_replies']}, unpersisted {step.get('unpersisted_after_10s', '-')}; {cpu}",
          flush=True)  # fmt: skip


def _py_spy(pid: int, seconds: float, path: Path) -> subprocess.Popen[bytes] | None:
    spy = Path(sys.executable).parent / "py-spy"
    if not spy.exists():
        print("  py-spy not installed: no profile", flush=True)
        return None
    return subprocess.Popen(
        [str(spy), "record", "--pid", str(pid), "--duration", str(int(seconds)), "--rate", "200",
         "--nonblocking", "--format", "raw", "--output", str(path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def costs(path: Path, top: int = 12) -> dict[str, Any]:
    """The profile's biggest costs: functions by own time (leaf) and by inclusive time,
    and a rough split by layer (which package the leaf frame is in)."""
    if not path.exists():
        return {}
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    layers: Counter[str] = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        frames = stack.split(";")
        total += n
        own[frames[-1]] += n
        layers[_layer(frames[-1])] += n
        for frame in set(frames):
            inclusive[frame] += n

    def pct(items: list[tuple[str, int]]) -> list[list[Any]]:
        return [[name, round(100 * n / max(total, 1), 1)] for name, n in items]

    ours = [(k, v) for k, v in inclusive.most_common() if "services/" in k or "contracts/" in k]
    return {
        "samples": total,
        "own_time_pct": pct(own.most_common(top)),
        "layers_pct": pct(layers.most_common()),
        "project_inclusive_pct": pct(ours[:top]),
    }


def _layer(frame: str) -> str:
    for needle, name in (("/nats/", "nats-py client"), ("msgspec", "msgspec"),
                         ("/contracts/", "contracts"), ("/services/dialogue/", "dialogue"),
                         ("uvloop", "event loop"), ("asyncio", "event loop"),
                         ("/json/", "json"), ("idle", "idle")):  # fmt: skip
        if needle in frame:
            return name
    return "other: " + frame.split("(")[-1].split(":")[0].rsplit("/", 1)[-1]


async def round_trips(nats_url: str, n: int = 40) -> dict[str, Any]:
    """The machine's floor: a request/reply to another process (persistence's cached
    ``store.template``), back to back vs after a 0.25 s pause — what one hop between idle
    processes costs here, before any of our work."""
    nc = await connect(nats_url, "bench-rtt")
    request = codec.encode(GetTemplate(dialled_number="+18005550100"))
    subject = store_subject(StoreQuery.TEMPLATE)
    out: dict[str, Any] = {}
    try:
        for name, pause in (("back_to_back", 0.0), ("after_pause", 0.25)):
            samples = []
            for _ in range(n):
                t0 = time.perf_counter()
                await nc.request(subject, request, timeout=2)
                samples.append((time.perf_counter() - t0) * 1000)
                await asyncio.sleep(pause)
            out[name] = summary(samples)
    finally:
        await nc.drain()
    return out


# ---- bus vs in-process ---------------------------------------------------------------------


async def bus_turn(nc: Any, number: str) -> tuple[float, float]:
    bridge = CallBridge(nc, new_call_id())
    await bridge.open()
    try:
        await bridge.started(direction=CallDirection.INBOUND, caller=number,
                             dialled="+18005550100", room=None, template_id=None)  # fmt: skip
        async for _ in bridge.reply_stream(None, Reply()):
            pass
        t0 = time.perf_counter()
        turn_id = await bridge.caller_said(QUESTION)
        first, out = None, Reply()
        async for _ in bridge.reply_stream(turn_id, out):
            first = first or time.perf_counter()
        done = time.perf_counter()
        if first is None or not out.complete or out.filled:
            raise RuntimeError("the bus turn did not complete")
        return (first - t0) * 1000, (done - t0) * 1000
    finally:
        await bridge.ended(EndReason.CALLER_HUNG_UP)
        await bridge.close()


async def local_turn(baseline: Any, number: str) -> tuple[float, float]:
    call_id = new_call_id()
    started = CallStarted(call_id=call_id, direction=CallDirection.INBOUND, from_number=number,
                          to_number="+18005550100")  # fmt: skip
    baseline.calls.numbers[call_id] = number  # what the gateway's started would say
    await baseline.dialogue.on_started(started, Delivery())
    turn = CallerTurn(call_id=call_id, turn_id=f"turn_{call_id}", seq=0, text=QUESTION)
    t0 = time.perf_counter()
    await baseline.dialogue.on_turn(turn, Delivery())
    done = time.perf_counter()
    first = baseline.listener.first.get(turn.turn_id)
    if first is None:
        raise RuntimeError("the in-process turn did not answer")
    return (first - t0) * 1000, (done - t0) * 1000


async def e2e(stack: Stack, samples: int) -> dict[str, Any]:
    from inprocess import build

    base = stack.infra.database_url
    baseline = await build(service_url(base, "tools"), service_url(base, "persistence"),
                           stack.llm_env())  # fmt: skip
    nc = await connect(stack.infra.nats_url, "bench-e2e")
    bus: list[tuple[float, float]] = []
    local: list[tuple[float, float]] = []
    try:
        for i in range(2):  # warm both paths (model sessions, pools, caches)
            await bus_turn(nc, f"+1720555{i:04d}")
            await local_turn(baseline, f"+1720556{i:04d}")
        for i in range(samples):  # alternating, so drift on the machine hits both alike
            bus.append(await bus_turn(nc, f"+1720{5_000_000 + i:07d}"))
            local.append(await local_turn(baseline, f"+1720{6_000_000 + i:07d}"))
    finally:
        await nc.drain()
        await baseline.close()
    out = {
        "turn_e2e_bus": summary([b[0] for b in bus]),
        "turn_e2e_inprocess": summary([x[0] for x in local]),
        "turn_e2e_bus_complete": summary([b[1] for b in bus]),
        "turn_e2e_inprocess_complete": summary([x[1] for x in local]),
    }
    out["bus_vs_inprocess_ratio"] = round(
        out["turn_e2e_bus"]["p50"] / out["turn_e2e_inprocess"]["p50"], 4
    )
    out["bus_vs_inprocess_ratio_complete"] = round(
        out["turn_e2e_bus_complete"]["p50"] / out["turn_e2e_inprocess_complete"]["p50"], 4
    )
    out["bus_minus_inprocess_p50_ms"] = round(
        out["turn_e2e_bus"]["p50"] - out["turn_e2e_inprocess"]["p50"], 2
    )
    return out


# ---- the run ---------------------------------------------------------------------------------


async def run(args: argparse.Namespace, logs: Path) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    details: dict[str, Any] = {}
    with infrastructure() as infra:
        seed_all(infra.database_url)
        nc = await connect(infra.nats_url, "bench-setup")
        await ensure_streams(nc.jetstream())
        await nc.drain()
        stack = Stack(infra, logs)
        try:
            stack.start_llm(args.ttft_ms, args.tokens_per_s)
            # the record writer is batch work: it yields the CPU to the conversation
            await stack.start_service("persistence", {"EC_CPU_NICE": str(args.persistence_nice)})
            await stack.start_service("tools")
            await stack.kb_ready()
            scripted = {"EC_DIALOGUE_POLICY": "scripted"}
            await stack.start_service("dialogue", scripted)
            db = infra.database_url
            figures["nats_round_trip_floor"] = await round_trips(infra.nats_url)
            if "overhead" in args.phases:
                print("turn overhead, one call", flush=True)
                one = await drive(stack, Plan("one_call", steps=(1,), every_s=0,
                                              think_s=(0.25, 0.25), ramp_s=0.2, step_s=120,
                                              max_turns=args.turns, number_prefix="+1301",
                                              database_url=db))  # fmt: skip
                figures["turn_overhead_1call"] = one["steps"][0]["turn_overhead"]
                figures["greeting_ready"] = one["steps"][0]["greeting_ready"]
                print(f"turn overhead, {args.calls} calls", flush=True)
                many = await drive(stack, Plan("calls", steps=(args.calls,), every_s=5,
                                               ramp_s=5, step_s=20, number_prefix="+1302",
                                               database_url=db))  # fmt: skip
                figures["turn_overhead_200calls"] = many["steps"][0]["turn_overhead"]
                details |= {"one_call": one, "calls": many}
            if "capacity" in args.phases:
                print("capacity", flush=True)
                profile = RESULTS / "dialogue_profile.txt"
                profile.unlink(missing_ok=True)
                capacity = await drive(stack, Plan("capacity", steps=tuple(args.steps),
                                                   every_s=5, ramp_s=5, step_s=args.step_s,
                                                   goal_p99_ms=CAPACITY_GOAL_P99_MS,
                                                   hold_s=args.hold_s, number_prefix="+1303",
                                                   database_url=db), profile)  # fmt: skip
                figures["capacity"] = capacity_figure(capacity)
                figures["capacity_profile"] = costs(profile) | {
                    "file": "bench/results/dialogue_profile.txt"}  # fmt: skip
                details["capacity"] = capacity
            if "e2e" in args.phases:
                print("bus vs in-process", flush=True)
                await stack.stop_service("dialogue")
                await stack.start_service("dialogue", stack.llm_env())
                figures |= await e2e(stack, args.samples)
            figures["details"] = details
        finally:
            stack.close()
    return figures


def capacity_figure(run: dict[str, Any]) -> dict[str, Any]:
    passed = [
        s for s in run["steps"]
        if s["lost_replies"] == 0 and s.get("unpersisted_after_10s", 1) == 0
        and within(s["turn_overhead"], CAPACITY_GOAL_P99_MS)
    ]  # fmt: skip
    best = max(passed, key=lambda s: s["lines"]) if passed else None
    return {
        "calls": best["lines"] if best else 0,
        "turn_every_s": 5,
        "goal_p99_ms": CAPACITY_GOAL_P99_MS,
        "at_capacity": best,
        "first_failing_step": next((s for s in run["steps"] if s not in passed), None),
        "steps_tried": [s["lines"] for s in run["steps"]],
        "unpersisted_at_end_after_30s": run.get("unpersisted_at_end_after_30s"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--phases",
        nargs="+",
        default=["overhead", "capacity", "e2e"],
        choices=["overhead", "capacity", "e2e"],
    )
    parser.add_argument("--turns", type=int, default=150, help="measured turns on one call")
    parser.add_argument("--persistence-nice", type=int, default=10)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--steps", type=int, nargs="+",
                        default=[100, 200, 250, 300, 400, 500, 750, 1000, 1500])  # fmt: skip
    parser.add_argument("--step-s", type=float, default=15.0)
    parser.add_argument("--hold-s", type=float, default=15.0)
    parser.add_argument("--samples", type=int, default=20, help="bus / in-process pairs")
    parser.add_argument("--ttft-ms", type=float, default=300.0)
    parser.add_argument("--tokens-per-s", type=float, default=40.0)
    args = parser.parse_args()
    unwind_on_sigterm()  # on a timeout the services, nats-server and Postgres stop too
    t0 = time.monotonic()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="ec-stack-bench-") as tmp:
        figures = asyncio.run(run(args, Path(tmp)))
    path = write("stack", {"method": __doc__, "args": vars(args),
                           "load_average_before_after": [load_before, os.getloadavg()],
                           "duration_s": round(time.monotonic() - t0, 1),
                           "figures": figures})  # fmt: skip
    for key in ("turn_overhead_1call", "turn_overhead_200calls", "greeting_ready",
                "turn_e2e_bus", "turn_e2e_inprocess", "bus_vs_inprocess_ratio"):  # fmt: skip
        print(f"{key:<28} {figures.get(key)}")
    if "capacity" in figures:
        print(f"capacity: {figures['capacity']['calls']} calls")
    print(f"written to {path.relative_to(ROOT)} ({round(time.monotonic() - t0)} s)")


if __name__ == "__main__":
    main()
