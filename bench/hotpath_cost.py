"""What one message costs on each way of serving it: nats-py, the hot path, FastStream.

A diagnostic behind :mod:`contracts.hotpath` (why a turn's messages do not go through
FastStream), not part of ``make bench``: ``python bench/hotpath_cost.py``. Its own
nats-server; per variant a server process answers request/reply on one subject while this
process sends ``--requests`` requests, ``--concurrency`` at a time; the server reports its own
CPU time (user + system, ``getrusage``) between the first and the last request. Then, in this
process, the CPU time of a publish through nats-py, the hot path and a FastStream broker.
Writes ``bench/results/hotpath_cost.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import msgspec
import nats
from common import RESULTS, ROOT, machine, summary

from services.ops.infra import NatsServer

VARIANTS = {
    "nats-py callback": "raw",
    "nats-py, a task per request": "raw-task",
    "hot path (contracts.hotpath)": "hotpath",
    "FastStream subscriber": "faststream",
    "FastStream + dead-letter middleware": "faststream-deadletters",
    "ServiceBroker (Prometheus + dead letters)": "service-broker",
    "ServiceBroker, concurrent (max_workers)": "service-broker-concurrent",
}
SUBJECT = "bench.cost"
CONTROL = "bench.cost.control"


class Ask(msgspec.Struct, frozen=True):
    n: int
    text: str


def cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def serve(variant: str, url: str) -> None:
    from fast_depends.msgspec import MsgSpecSerializer
    from faststream.nats import NatsBroker

    from contracts.broker import DeadLetters, ServiceBroker, contract_decoder
    from contracts.hotpath import HotPath

    nc = await nats.connect(url)
    closers: list[Any] = []
    if variant.startswith("raw"):

        async def answer(msg: Any) -> None:
            ask = msgspec.json.decode(msg.data, type=Ask)
            await msg.respond(msgspec.json.encode(ask))

        if variant == "raw-task":
            tasks: set[asyncio.Task[None]] = set()

            async def callback(msg: Any) -> None:
                task = asyncio.create_task(answer(msg))
                tasks.add(task)
                task.add_done_callback(tasks.discard)

            await nc.subscribe(SUBJECT, queue="q", cb=callback)
        else:
            await nc.subscribe(SUBJECT, queue="q", cb=answer)
    elif variant == "hotpath":
        hot = HotPath(nc, "bench")

        @hot.responder(SUBJECT, queue="q", contract=Ask)
        async def echo_hot(body: Any) -> Any:
            return body

        await hot.start()
    else:

        async def echo(body: Any) -> Any:
            return body

        broker: Any
        if variant.startswith("service-broker"):
            broker = ServiceBroker("bench", connection=nc)
        else:
            middlewares = [DeadLetters] if variant.endswith("deadletters") else []
            serializer = MsgSpecSerializer(use_fastdepends_errors=False)
            broker = NatsBroker(url, logger=None, middlewares=middlewares, serializer=serializer)
        options = {"max_workers": 100} if variant.endswith("concurrent") else {}
        broker.subscriber(SUBJECT, queue="q", decoder=contract_decoder(Ask, lenient=True),
                          **options)(echo)  # fmt: skip
        await broker.start()
        closers.append(broker)
    marks: dict[str, float] = {}
    done = asyncio.Event()

    async def control(msg: Any) -> None:
        marks[msg.data.decode()] = cpu_s()
        await msg.respond(b"ok")
        if msg.data == b"end":
            done.set()

    await nc.subscribe(CONTROL, cb=control)
    await nc.flush()
    print("ready", flush=True)
    await done.wait()
    print(json.dumps({"cpu_s": marks["end"] - marks["start"]}), flush=True)


async def drive(url: str, requests: int, concurrency: int) -> dict[str, Any]:
    nc = await nats.connect(url)
    payload = msgspec.json.encode(Ask(1, "how much does it cost?"))
    for _ in range(200):  # warm up
        await nc.request(SUBJECT, payload, timeout=5)
    await nc.request(CONTROL, b"start")
    latencies: list[float] = []

    async def worker() -> None:
        for _ in range(requests // concurrency):
            t = time.perf_counter()
            await nc.request(SUBJECT, payload, timeout=10)
            latencies.append((time.perf_counter() - t) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    await nc.request(CONTROL, b"end")
    await nc.drain()
    return {"per_s": round(len(latencies) / elapsed), "latency_ms": summary(latencies)}


def run_variant(variant: str, url: str, requests: int, concurrency: int) -> dict[str, Any]:
    proc = subprocess.Popen(
        [sys.executable, __file__, "--serve", variant, "--nats", url],
        stdout=subprocess.PIPE, cwd=ROOT / "bench", text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready", f"{variant} did not start"
        client = asyncio.run(drive(url, requests, concurrency))
        server = json.loads(proc.stdout.readline())
    finally:
        proc.wait(timeout=10)
    client["server_cpu_us_per_request"] = round(server["cpu_s"] / requests * 1e6, 1)
    return client


async def publish_costs(url: str, n: int = 20_000) -> dict[str, float]:
    from contracts.broker import ServiceBroker
    from contracts.hotpath import HotPath

    nc = await nats.connect(url)
    hot = HotPath(nc, "bench")
    broker = ServiceBroker("bench", connection=nc)
    await broker.connect()
    await broker.start()
    data, headers = b'{"text":"a reply chunk"}', {"Nats-Msg-Id": "x"}
    ways = {
        "nats-py publish": lambda: nc.publish("calls.c1.reply", data, headers=headers),
        "hot path publish": lambda: hot.publish("calls.c1.reply", data, headers),
        "FastStream broker.publish": lambda: broker.publish(
            data, "calls.c1.reply", headers=headers
        ),
    }
    costs = {}
    for name, publish in ways.items():
        before = cpu_s()
        for _ in range(n):
            await publish()
        await nc.flush()
        costs[name] = round((cpu_s() - before) / n * 1e6, 1)
    await broker.stop()
    await nc.drain()
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=6000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--nats", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(serve(args.serve, args.nats))
        return
    with tempfile.TemporaryDirectory(prefix="ec-cost-") as tmp:
        # raw nats-py clients: a server without users (the cost measured is the client's)
        server = NatsServer(Path(tmp) / "nats", open=True)
        url = f"nats://127.0.0.1:{server.start()}"
        try:
            serving = {}
            for label, variant in VARIANTS.items():
                serving[label] = run_variant(variant, url, args.requests, args.concurrency)
                r = serving[label]
                print(f"{label:45} {r['server_cpu_us_per_request']:7.1f} µs CPU/request  "
                      f"{r['per_s']:6d}/s  p50 {r['latency_ms']['p50']:.2f} ms")  # fmt: skip
            publishing = asyncio.run(publish_costs(url))
            for label, us in publishing.items():
                print(f"{label:45} {us:7.1f} µs CPU/message")
        finally:
            server.stop()
    result = {
        "method": __doc__,
        "requests": args.requests,
        "concurrency": args.concurrency,
        "serving": serving,
        "publishing_cpu_us": publishing,
        "machine": machine(),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "hotpath_cost.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
