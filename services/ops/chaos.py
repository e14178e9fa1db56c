"""``equity-connect chaos``: the fault drills as one repeatable suite (issue 14, item 6).

Everything runs on infrastructure of its own — a private nats-server and Postgres on free
ports under a temporary directory — with two copies of each service as processes
(``equity-connect serve persistence|tools|dialogue``), the dialogue's LLM the scripted fake
(``EC_DIALOGUE_POLICY=scripted``: our code and the bus, not a provider) and the gateway's own
bus code (``CallBridge``) as the callers. Nothing touches ``.data`` or a running ``make up``.

Each drill returns a :class:`Result` (drill, bar, measured, passed); ``run`` prints one table
and writes the results to ``bench/results/chaos-<UTC timestamp>.json``. The drills and their
bars are described in services/ops/README.md ("Chaos drills"). ``tests/chaos`` runs the same
functions with :data:`SMALL` sizes in ``make test``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import msgspec
import psycopg

from contracts import codec
from contracts.access import Identity, identity_for
from contracts.base import new_call_id
from contracts.bus import (
    BusUnavailable,
    connect,
    connect_once,
    ensure_streams,
    publish_event,
    settle_subscriptions,
)
from contracts.calls import CallDirection, CallEnded, CallStarted, EndReason
from contracts.conversation import Speaker, TranscriptSegment
from contracts.deadletter import DeadLetter
from contracts.ops import InstancePong, PingInstances
from contracts.subjects import (
    CALLS_STREAM,
    DLQ_STREAM,
    CallEventName,
    StoreQuery,
    call_subject,
    ops_ping,
    store_subject,
    tool_subject,
)
from contracts.tools import (
    REQUESTS,
    AppointmentBooked,
    BookAppointment,
    LookupLead,
    ToolError,
    ToolName,
    ToolReply,
    ToolRequest,
    ToolSession,
)
from services.agent_gateway.bridge import CallBridge, NoReply, Reply, Timing
from services.ops.infra import (
    PG_DATABASE,
    NatsServer,
    PostgresCluster,
    free_port,
    pid_alive,
)
from services.ops.migrate import migrate
from services.ops.paths import project_root
from services.ops.seeding import seed_all
from services.ops.stack import create_database

SERVICES = ("persistence", "tools", "dialogue")
DIALLED = "+18005550100"
FIRST_WORDS = "Yes, this is Ann Lee, I live in Denver, Colorado."
KNOWLEDGE = "How does a reverse mortgage work?"  # the scripted LLM searches the knowledge base
QUESTION = "Can you tell me a little more about that?"
#: the gateway's deployed never-silence limits: a reply must start within 8 s
TIMING = Timing()
#: seeded leads (services/tools/seed/leads.toml)
MARGARET = "+12065550231"
TOOL_OF: dict[type[ToolRequest], ToolName] = {kind: tool for tool, kind in REQUESTS.items()}
WALTER = "+13125550232"


@dataclass(frozen=True)
class Sizes:
    """How hard each drill pushes. :data:`FULL` is ``make chaos``; :data:`SMALL` is the fast
    version ``make test`` runs."""

    calls: int = 20  # concurrent simulated calls in the kill / restart / outage drills
    turns: int = 6  # caller turns per call
    turn_gap_s: float = 0.5  # the caller's pause before each turn
    malformed: int = 10_000
    bookings: int = 1_000
    forged: int = 300
    pg_down_s: float = 30.0
    burst_events: int = 2_000  # events published (and acknowledged) around NATS / Postgres faults
    #: the record writer's ack wait (None: as deployed, 30 s): how soon a killed copy's batch
    #: is redelivered to the other copy
    persistence_ack_wait_s: float | None = None
    settle_s: float = 90.0  # how long acknowledged events may take to land after a fault
    fast_postgres: bool = False  # fsync off (tests only)


FULL = Sizes()
QUICK = Sizes(calls=10, turns=5, malformed=2_000, bookings=300, forged=90, pg_down_s=10.0,
              burst_events=600, persistence_ack_wait_s=5.0, settle_s=60.0)  # fmt: skip
SMALL = Sizes(calls=3, turns=4, turn_gap_s=0.2, malformed=200, bookings=50, forged=30,
              pg_down_s=3.0, burst_events=150, persistence_ack_wait_s=3.0, settle_s=40.0,
              fast_postgres=True)  # fmt: skip


@dataclass
class Result:
    drill: str
    bar: str
    measured: str
    #: None: the drill is a slot not filled yet (shown as "pending", not a failure)
    passed: bool | None
    seconds: float = 0.0
    details: dict[str, Any] = field(default_factory=dict)


# ---- the rig: private infrastructure and service copies -------------------------------------


@dataclass
class Rig:
    """A private nats-server and Postgres under ``root``, migrated and seeded, and ``copies``
    processes of each service."""

    root: Path
    sizes: Sizes
    copies: int = 2
    nats: NatsServer = field(init=False)
    pg: PostgresCluster = field(init=False)
    nats_port: int = 0
    pg_port: int = 0
    procs: dict[tuple[str, int], subprocess.Popen[bytes]] = field(default_factory=dict)
    nc: Any = None
    passwords: dict[str, str] = field(default_factory=dict)
    races: int = 0  # booking races run: each gets a slot time of its own

    def __post_init__(self) -> None:
        self.nats = NatsServer(self.root / "nats")
        self.pg = PostgresCluster(self.root / "postgres")
        (self.root / "logs").mkdir(parents=True, exist_ok=True)

    @property
    def nats_url(self) -> str:
        return f"nats://127.0.0.1:{self.nats_port}"

    @property
    def database_url(self) -> str:
        return self.pg.admin_url(self.pg_port)

    async def start(self) -> None:
        self.nats_port = self.nats.start()  # the shipped permissions (deploy/nats/auth.conf)
        self.passwords = self.nats.credentials()
        os.environ.update(self.passwords)  # this process's own clients: the admin's
        self.pg_port = free_port()
        await asyncio.to_thread(self._postgres)
        self.nc = await connect(self.nats_url, "chaos")
        await ensure_streams(self.nc.jetstream())
        for service in SERVICES:
            for index in range(1, self.copies + 1):
                self.spawn(service, index)
        for service in SERVICES:
            await self.wait_copies(service, self.copies)

    def _postgres(self) -> None:
        self.pg.start(self.pg_port, fast=self.sizes.fast_postgres)
        create_database(self.pg.admin_url(self.pg_port, "postgres"), PG_DATABASE)
        migrate(self.database_url)
        seed_all(self.database_url)

    def env(self, service: str) -> dict[str, str]:
        # the rig's own servers, not whatever this shell points at; each copy gets only its
        # own identity's NATS password
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("EC_", "OPENAI", "OPENR", "NATS_", "DATABASE_"))}  # fmt: skip
        own = identity_for(service).password_env
        env[own] = self.passwords[own]
        env |= {
            "NATS_URL": self.nats_url,
            "DATABASE_URL": self.database_url,
            "EC_HTTP_PORT": "0",
            "EC_LOG_LEVEL": "WARNING",
            "EC_DATA_DIR": str(self.root / "data"),
            "EC_DIALOGUE_POLICY": "scripted",
            # the knowledge base's crude offline embedder: starts at once, no model to load
            "EC_TOOLS_EMBEDDER": "hash",
        }
        if service == "persistence" and self.sizes.persistence_ack_wait_s is not None:
            env["EC_PERSISTENCE_ACK_WAIT_S"] = str(self.sizes.persistence_ack_wait_s)
        return env

    def spawn(self, service: str, index: int) -> None:
        log = (self.root / "logs" / f"{service}-{index}.log").open("ab")
        self.procs[(service, index)] = subprocess.Popen(
            [sys.executable, "-m", "services.ops.cli", "serve", service],
            cwd=project_root(), env=self.env(service), stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def kill9(self, service: str, index: int) -> int:
        proc = self.procs[(service, index)]
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        return proc.pid

    async def restart(self, service: str, index: int) -> None:
        if self.procs[(service, index)].poll() is None:
            return
        self.spawn(service, index)
        await self.wait_copies(service, self.copies)

    def alive(self) -> dict[str, int]:
        out: Counter[str] = Counter()
        for (service, _), proc in self.procs.items():
            if proc.poll() is None and pid_alive(proc.pid):
                out[service] += 1
        return dict(out)

    async def pongs(self, service: str, wait: float = 0.4) -> list[InstancePong]:
        inbox = self.nc.new_inbox()
        found: list[InstancePong] = []

        async def collect(msg: Any) -> None:
            try:
                found.append(codec.decode(msg.data, InstancePong))
            except codec.ContractError:
                pass

        sub = await self.nc.subscribe(inbox, cb=collect)
        await self.nc.publish(ops_ping(service), codec.encode(PingInstances()), reply=inbox)
        await asyncio.sleep(wait)
        await sub.unsubscribe()
        return found

    async def wait_copies(self, service: str, n: int, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while len(await self.pongs(service)) < n:
            dead = [i for (s, i), p in self.procs.items() if s == service and p.poll() is not None]
            if dead or time.monotonic() > deadline:
                log = self.root / "logs" / f"{service}-{(dead or [1])[0]}.log"
                raise RuntimeError(f"{service}: {n} copies did not come up; see {log}")

    async def healthy(self) -> bool:
        """Every copy of every service running and answering on the bus."""
        for service in SERVICES:
            if len(await self.pongs(service)) < self.copies:
                return False
        return self.alive() == dict.fromkeys(SERVICES, self.copies)

    async def close(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs.values():
            try:
                await asyncio.to_thread(proc.wait, 20)
            except subprocess.TimeoutExpired:
                proc.kill()
        if self.nc is not None:
            try:
                await asyncio.wait_for(self.nc.close(), 5)
            except Exception:
                pass
        self.nats.stop()
        await asyncio.to_thread(self.pg.stop)

    # ---- database ---------------------------------------------------------------------------

    async def scalar(self, sql: str, *args: Any) -> Any:
        async with await psycopg.AsyncConnection.connect(
            self.database_url, autocommit=True, connect_timeout=5
        ) as conn:
            cur = await conn.execute(sql, args or None)
            row = await cur.fetchone()
            return row[0] if row else None

    async def recorded(self, event_ids: set[str]) -> int:
        """How many of ``event_ids`` have their ``processed_events`` row (the record writer's
        exactly-once ledger, written in the same transaction as the event's effect)."""
        if not event_ids:
            return 0
        try:
            found = await self.scalar(
                "SELECT count(*) FROM persistence.processed_events WHERE event_id = ANY(%s)",
                list(event_ids),
            )
        except psycopg.OperationalError:
            return -1
        return int(found or 0)

    async def wait_recorded(
        self, event_ids: set[str], timeout: float, since: float | None = None
    ) -> tuple[int, float]:
        """(recorded, seconds since ``since`` — default: now) once all are recorded or
        ``timeout`` passes."""
        t0 = time.monotonic()
        since = t0 if since is None else since
        while True:
            got = await self.recorded(event_ids)
            if got == len(event_ids) or time.monotonic() - t0 > timeout:
                return max(got, 0), time.monotonic() - since
            await asyncio.sleep(0.5)

    # ---- the CALLS stream -------------------------------------------------------------------

    async def last_seq(self, stream: str) -> int:
        info = await self.nc.jetstream().stream_info(stream)
        return int(info.state.last_seq)

    async def stream_messages(self, stream: str, after: int) -> list[tuple[int, str, bytes]]:
        """(seq, subject, data) of every message stored after sequence ``after``."""
        js = self.nc.jetstream()
        last = await self.last_seq(stream)
        out: list[tuple[int, str, bytes]] = []

        async def one(seq: int) -> None:
            try:
                raw = await js.get_msg(stream, seq)
            except Exception:
                return
            out.append((seq, raw.subject or "", raw.data or b""))

        seqs = list(range(after + 1, last + 1))
        for i in range(0, len(seqs), 200):
            await asyncio.gather(*(one(s) for s in seqs[i : i + 200]))
        return sorted(out)

    async def call_events(self, call_ids: set[str], after: int) -> tuple[set[str], int]:
        """The event ids the CALLS stream holds for ``call_ids`` (stored after ``after``),
        and how many stored messages repeat an event id already stored."""
        ids: set[str] = set()
        repeats = 0
        for _, subject, data in await self.stream_messages(CALLS_STREAM, after):
            if subject.split(".")[1] not in call_ids:
                continue
            if subject.endswith(f".{CallEventName.ANALYZED}"):
                continue  # persistence's own output: stored as the evaluation, not an event row
            event_id = msgspec.json.decode(data).get("event_id")
            if event_id in ids:
                repeats += 1
            ids.add(event_id)
        return ids, repeats


# ---- simulated callers ------------------------------------------------------------------------


@dataclass
class Tally:
    """What the callers heard."""

    turns: int = 0  # caller turns and greetings waited on
    answered: int = 0  # a complete reply
    unanswered: int = 0  # nothing within the gateway's hard limit: the caller in silence
    cut_short: int = 0  # a reply that started and stalled
    filled: int = 0  # the gateway's filler was needed (allowed; counted)
    slowest_s: float = 0.0  # the slowest reply to start (greeting or turn)
    calls: list[str] = field(default_factory=list)
    outcomes: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k != "calls"} | {
            "calls": len(self.calls),
            "errors": self.errors[:5],
        }


async def answer(bridge: CallBridge, turn_id: str | None, tally: Tally) -> None:
    out, first = Reply(), None
    t0 = time.monotonic()
    tally.turns += 1
    try:
        async for piece in bridge.reply_stream(turn_id, out):
            if first is None and not (out.filled and piece.strip() == "One moment, please."):
                first = time.monotonic()
    except NoReply:
        tally.unanswered += 1
        return
    tally.filled += int(out.filled)
    if first is not None:
        tally.slowest_s = max(tally.slowest_s, first - t0)
    if out.complete:
        tally.answered += 1
        await bridge.transcript(Speaker.AGENT, out.text)
    else:
        tally.cut_short += 1


async def place_call(nc: Any, number: str, sizes: Sizes, tally: Tally) -> None:
    """One caller: the greeting, ``sizes.turns`` turns (details, a knowledge question, plain
    questions), then hangs up and waits for the call's outcome."""
    bridge = CallBridge(nc, new_call_id(), TIMING)
    await bridge.open()
    tally.calls.append(bridge.call_id)
    try:
        await bridge.started(direction=CallDirection.INBOUND, caller=number, dialled=DIALLED,
                             room=None, template_id=None)  # fmt: skip
        await answer(bridge, None, tally)
        for n in range(sizes.turns):
            await asyncio.sleep(sizes.turn_gap_s * random.uniform(0.5, 1.5))
            words = FIRST_WORDS if n == 0 else KNOWLEDGE if n % 3 == 1 else QUESTION
            await bridge.transcript(Speaker.CALLER, words)
            await answer(bridge, await bridge.caller_said(words), tally)
    except Exception as err:
        tally.errors.append(f"{type(err).__name__}: {err}")
    finally:
        await bridge.ended(EndReason.CALLER_HUNG_UP)
        if await bridge.wait_outcome(20.0) is not None:
            tally.outcomes += 1
        await bridge.close()


def numbers(prefix: str) -> Callable[[], str]:
    counter = iter(range(random.randrange(1_000_000), 10_000_000))
    return lambda: f"{prefix}{next(counter) % 10_000_000:07d}"


async def load(
    nc: Any,
    sizes: Sizes,
    calls: int,
    prefix: str,
    tally: Tally | None = None,
    until: float | None = None,
) -> Tally:
    """``calls`` concurrent callers; with ``until`` (a ``time.monotonic()``), each caller places
    calls back to back until then."""
    tally = tally if tally is not None else Tally()
    number = numbers(prefix)

    async def line() -> None:
        await place_call(nc, number(), sizes, tally)
        while until is not None and time.monotonic() < until:
            await place_call(nc, number(), sizes, tally)

    await asyncio.gather(*(line() for _ in range(calls)))
    return tally


async def one_call_works(rig: Rig) -> tuple[bool, Tally]:
    """A normal call after a fault: every reply in full, and an outcome."""
    tally = await load(rig.nc, replace(rig.sizes, turns=3, turn_gap_s=0.1), 1, "+1415")
    ok = tally.answered == tally.turns and tally.outcomes == 1 and not tally.errors
    return ok, tally


# ---- a burst of record events (published until JetStream acknowledges) ------------------------


def burst(events: int, prefix: str) -> list[tuple[str, Any]]:
    """Whole calls (started, transcripts, ended) of 20 events each, interleaved."""
    per_call = 20
    calls: list[list[tuple[str, Any]]] = []
    number = numbers(prefix)
    for _ in range(max(1, events // per_call)):
        cid = new_call_id()
        one: list[tuple[str, Any]] = [(call_subject(cid, "started"), CallStarted(
            call_id=cid, direction=CallDirection.INBOUND, from_number=number(),
            to_number=DIALLED))]  # fmt: skip
        for seq in range(per_call - 2):
            one.append((call_subject(cid, "transcript"), TranscriptSegment(
                call_id=cid, seq=seq, speaker=Speaker.CALLER if seq % 2 else Speaker.AGENT,
                text=f"line {seq}")))  # fmt: skip
        one.append((call_subject(cid, "ended"), CallEnded(
            call_id=cid, reason=EndReason.CALLER_HUNG_UP, duration_ms=1000)))  # fmt: skip
        calls.append(one)
    return [c[k] for k in range(per_call) for c in calls]


async def publish_until_acked(
    js: Any, events: list[tuple[str, Any]], acked: set[str], spread_s: float = 0.0
) -> None:
    """Publish each event, retrying until JetStream acknowledges it (as the gateway's outbox
    does); ``acked`` collects the acknowledged event ids. ``spread_s``: spread over this long."""
    pause = spread_s / max(1, len(events) // 20)

    async def one(subject: str, event: Any) -> None:
        for _ in range(600):
            try:
                await publish_event(js, subject, event, ack_timeout=1.0)
                acked.add(event.event_id)
                return
            except Exception:
                await asyncio.sleep(0.1)

    for i in range(0, len(events), 20):
        await asyncio.gather(*(one(s, e) for s, e in events[i : i + 20]))
        if pause:
            await asyncio.sleep(pause)


# ---- the drills --------------------------------------------------------------------------------

Drill = Callable[[Rig], Awaitable[Result]]


async def drill_kill9(rig: Rig, service: str) -> Result:
    """kill -9 of one copy of ``service`` while ``calls`` simulated calls are under way and a
    burst of record events (half ``burst_events``) arrives, so the writer is mid-batch."""
    sizes = rig.sizes
    before = await rig.last_seq(CALLS_STREAM)
    race = await prepare_race(rig, max(20, sizes.bookings // 10))
    tally = Tally()
    task = asyncio.create_task(load(rig.nc, sizes, sizes.calls, "+1303", tally))
    # mid-call: once about a third of the turns are under way
    pause = max(1.0, sizes.turns * sizes.turn_gap_s / 3 + 0.5)
    await asyncio.sleep(pause - 0.5)
    acked: set[str] = set()
    events = burst(max(20, sizes.burst_events // 2), "+1304")
    publisher = asyncio.create_task(
        publish_until_acked(rig.nc.jetstream(), events, acked, spread_s=2.0)
    )
    await asyncio.sleep(0.45)
    racing = asyncio.create_task(run_race(rig, race, wait=10))
    await asyncio.sleep(0.05)
    pid = rig.kill9(service, 1)
    killed_at = time.monotonic()
    in_progress = len(tally.calls) - tally.outcomes if not task.done() else 0
    turns_before = tally.turns
    await task
    await publisher
    kinds = await racing
    appointments, billed = await race_booked(rig, race)
    await rig.restart(service, 1)
    ids, repeats = await rig.call_events(set(tally.calls), before)
    ids |= acked
    recorded, waited = await rig.wait_recorded(ids, sizes.settle_s, since=killed_at)
    lost = len(ids) - recorded
    passed = (
        in_progress > 0
        and tally.unanswered == 0
        and tally.cut_short == 0
        and tally.outcomes == len(tally.calls)
        and not tally.errors
        and lost == 0
        and repeats == 0
        and len(acked) == len(events)
        and appointments <= 1
        and billed == appointments
        and kinds.get("booked", 0) <= appointments
        and await rig.healthy()
    )
    measured = (
        f"{tally.answered}/{tally.turns} replies (slowest {tally.slowest_s:.1f} s, "
        f"{tally.filled} filler), {tally.outcomes}/{len(tally.calls)} outcomes; "
        f"{recorded}/{len(ids)} events recorded once (the last {waited:.0f} s after the kill), "
        f"{repeats} stored twice; {len(race.requests)} bookings of one slot at the kill: "
        f"{appointments} appointment, {billed} billed"
    )
    return Result(
        f"kill -9 {service}", f"{sizes.calls} calls: every turn answered < 8 s, every call an "
        "outcome, every event recorded exactly once; bookings at the kill: ≤ 1 appointment, billed "
        "as booked",
        measured, passed,
        details={"killed_pid": pid, "calls_in_progress_at_kill": in_progress,
                 "replies_waited_on_before_kill": turns_before, "callers": tally.summary(),
                 "events": len(ids),
                 "recorded": recorded, "stream_repeats": repeats,
                 "race_at_kill": {"replies": dict(kinds), "appointments": appointments,
                                  "billed": billed}},
    )  # fmt: skip


async def drill_kill9_persistence(rig: Rig) -> Result:
    return await drill_kill9(rig, "persistence")


async def drill_kill9_tools(rig: Rig) -> Result:
    return await drill_kill9(rig, "tools")


async def drill_kill9_dialogue(rig: Rig) -> Result:
    return await drill_kill9(rig, "dialogue")


async def drill_nats_restart(rig: Rig) -> Result:
    """Stop and start the same nats-server (same port, same store) during a burst of record
    events and a set of calls: no acknowledged event is lost; calls after it work."""
    sizes = rig.sizes
    js = rig.nc.jetstream()
    events = burst(sizes.burst_events, "+1720")
    acked: set[str] = set()
    publisher = asyncio.create_task(publish_until_acked(js, events, acked, spread_s=4.0))
    calls = asyncio.create_task(load(rig.nc, sizes, max(1, sizes.calls // 2), "+1702"))
    await asyncio.sleep(1.5)
    t0 = time.monotonic()
    acked_before_stop = len(acked)
    rig.nats.stop()
    port = rig.nats.start(rig.nats_port)
    down_s = time.monotonic() - t0
    await publisher
    tally = await calls
    for service in SERVICES:
        await rig.wait_copies(service, rig.copies, timeout=60)
    recorded, waited = await rig.wait_recorded(acked, sizes.settle_s)
    after_ok, _ = await one_call_works(rig)
    lost = len(acked) - recorded
    mid_burst = 0 < acked_before_stop < len(events)
    passed = (
        mid_burst and port == rig.nats_port and lost == 0 and len(acked) == len(events)
        and after_ok
    )  # fmt: skip
    return Result(
        "NATS restart", "0 acknowledged events lost; services reconnect; a call after works",
        f"{recorded}/{len(acked)} acknowledged events recorded ({waited:.0f} s), {lost} lost; "
        f"down {down_s:.1f} s; call after: {'ok' if after_ok else 'FAILED'}",
        passed,
        details={"published": len(events), "acked": len(acked), "recorded": recorded,
                 "acked_before_the_stop": acked_before_stop,
                 "callers_during_restart": tally.summary()},
    )  # fmt: skip


async def drill_postgres_down(rig: Rig) -> Result:
    """Postgres stopped for ``pg_down_s`` while events keep arriving and callers keep
    talking: no service exits, callers get replies, everything lands once it is back."""
    sizes = rig.sizes
    js = rig.nc.jetstream()
    before = await rig.last_seq(CALLS_STREAM)
    await asyncio.to_thread(rig.pg.stop, "fast")
    t0 = time.monotonic()
    events = burst(sizes.burst_events, "+1503")
    acked: set[str] = set()
    publisher = asyncio.create_task(
        publish_until_acked(js, events, acked, spread_s=max(0.0, sizes.pg_down_s - 1))
    )
    # callers keep calling through the outage (each line a call after another)
    outage = replace(sizes, turns=max(2, sizes.turns // 2))
    tally = Tally()
    callers = asyncio.create_task(load(rig.nc, outage, max(1, sizes.calls // 2), "+1971",
                                       tally, until=t0 + sizes.pg_down_s - 1))  # fmt: skip
    await asyncio.sleep(max(0.0, sizes.pg_down_s - (time.monotonic() - t0)))
    down_s = time.monotonic() - t0
    alive_during = rig.alive() == dict.fromkeys(SERVICES, rig.copies)
    answered_during = tally.answered
    acked_during = len(acked)
    await asyncio.to_thread(rig.pg.start, rig.pg_port, fast=sizes.fast_postgres)
    back_at = time.monotonic()
    await publisher
    await callers
    ids, _ = await rig.call_events(set(tally.calls), before)
    wanted = acked | ids
    recorded, waited = await rig.wait_recorded(wanted, sizes.settle_s, since=back_at)
    after_ok, _ = await one_call_works(rig)
    healthy = await rig.healthy()
    passed = (
        acked_during > 0 and alive_during and healthy and recorded == len(wanted)
        and len(acked) == len(events) and tally.unanswered == 0 and tally.cut_short == 0
        and after_ok
    )  # fmt: skip
    return Result(
        f"Postgres down {sizes.pg_down_s:.0f} s",
        "no service exits; callers answered during it; every event recorded after",
        f"down {down_s:.0f} s; {tally.answered}/{tally.turns} replies to {len(tally.calls)} "
        f"calls through it; "
        f"{recorded}/{len(wanted)} events recorded {waited:.0f} s after; "
        f"{sum(rig.alive().values())}/{len(rig.procs)} copies up; "
        f"call after: {'ok' if after_ok else 'FAILED'}",
        passed,
        details={"callers_during_outage": tally.summary(), "events": len(wanted),
                 "replies_answered_before_postgres_was_back": answered_during,
                 "events_acknowledged_during_the_outage": acked_during,
                 "recorded": recorded, "alive_during": alive_during},
    )  # fmt: skip


def nested(depth: int) -> bytes:
    return b'{"a":' + b"[" * depth + b"]" * depth + b"}"


def malformed_payloads() -> list[bytes]:
    """What a hostile or broken publisher sends: not JSON, truncated, deeply nested, not the
    contract, the wrong contract, control bytes, huge (over the 64 KB limit), empty."""
    wrong_contract = codec.encode(CallEnded(call_id="call_wrong0001", reason=EndReason.ERROR,
                                            duration_ms=1))  # fmt: skip
    return [
        b"not json at all",
        b'{"event_id": "evt_x", "call_id": ',
        nested(2000),
        b'{"call_id": 5}',
        b"[]",
        wrong_contract,
        bytes(range(256)),
        b"",
        b'{"event_id": "' + b"x" * 100_000 + b'"}',
        os.urandom(300_000),
    ]


async def drill_malformed(rig: Rig) -> Result:
    """``malformed`` malformed and oversized messages spread over every subject the services
    listen on: each event becomes a dead letter, each request a typed error reply; the
    services stay up and a normal call afterwards works."""
    sizes = rig.sizes
    js = rig.nc.jetstream()
    dlq_before = await rig.last_seq(DLQ_STREAM)
    subjects: list[tuple[str, str]] = []
    subjects += [("event", call_subject(f"call_chaos{uuid.uuid4().hex[:10]}", e))
                 for e in CallEventName]  # fmt: skip
    subjects += [("tool", tool_subject(t.value)) for t in ToolName]
    subjects += [("store", store_subject(q)) for q in StoreQuery]
    payloads = malformed_payloads()
    plan = [(subjects[i % len(subjects)], payloads[(i // len(subjects)) % len(payloads)])
            for i in range(sizes.malformed)]  # fmt: skip
    published: dict[int, str] = {}  # stream seq → subject
    typed, untyped = Counter[str](), Counter[str]()

    async def send(kind: str, subject: str, data: bytes) -> None:
        if kind == "event":
            for _ in range(50):
                try:
                    ack = await js.publish(subject, data, timeout=5)
                    published[ack.seq] = subject
                    return
                except Exception:
                    await asyncio.sleep(0.1)
            untyped["event not acknowledged"] += 1
            return
        try:
            msg = await rig.nc.request(subject, data, timeout=10)
        except Exception as err:
            untyped[f"{kind}: {type(err).__name__}"] += 1
            return
        typed_reply = _typed_error(kind, msg.data)
        (typed if typed_reply else untyped)[f"{kind}: {typed_reply or msg.data[:40]!r}"] += 1

    t0 = time.monotonic()
    for i in range(0, len(plan), 100):
        await asyncio.gather(*(send(k, s, d) for (k, s), d in plan[i : i + 100]))
    sent_s = time.monotonic() - t0
    # every event is read by the record writer: its dead letters are the measure
    deadline = time.monotonic() + sizes.settle_s
    letters: dict[str, set[int]] = {}
    while True:
        letters = await _dead_letters(rig, dlq_before)
        if set(published) <= letters.get("persistence-writer", set()):
            break
        if time.monotonic() > deadline:
            break
        await asyncio.sleep(1.0)
    lettered = len(set(published) & letters.get("persistence-writer", set()))
    requests = sum(1 for (k, _), _ in plan if k != "event")
    after_ok, _ = await one_call_works(rig)
    healthy = await rig.healthy()
    stuck = await _stuck_consumers(rig)
    passed = (lettered == len(published) and sum(untyped.values()) == 0
              and sum(typed.values()) == requests and healthy and after_ok
              and not stuck)  # fmt: skip
    return Result(
        f"{sizes.malformed:,} malformed/oversized",
        "each event → a dead letter, each request → a typed reply (an error unless the bytes "
        "happen to be a valid request); services up; a call after works",
        f"{lettered}/{len(published)} events dead-lettered, {sum(typed.values())}/{requests} "
        f"typed replies; sent in {sent_s:.0f} s; "
        f"{'all copies up' if healthy else 'COPIES DOWN'}; call after: "
        f"{'ok' if after_ok else 'FAILED'}",
        passed,
        details={"subjects": len(subjects), "letters_by_consumer": {k: len(v) for k, v in
                 letters.items()}, "typed": dict(typed), "untyped": dict(untyped),
                 "stuck_consumers": stuck},
    )  # fmt: skip


def _typed_error(kind: str, data: bytes) -> str | None:
    """The reply's contract kind (a tool error's code, a store reply's ``kind``), or None
    when the reply is not a contract."""
    try:
        if kind == "tool":
            reply = codec.decode(data, ToolReply)
            result = reply.result
            return result.code.value if isinstance(result, ToolError) else "result"
        body = msgspec.json.decode(data)
        return str(body["kind"]) if isinstance(body, dict) and body.get("kind") else None
    except Exception:
        return None


async def _dead_letters(rig: Rig, after: int) -> dict[str, set[int]]:
    """Consumer → the CALLS sequences it dead-lettered (letters stored after ``after``)."""
    out: dict[str, set[int]] = {}
    for _, _, data in await rig.stream_messages(DLQ_STREAM, after):
        try:
            letter = codec.decode(data, DeadLetter)
        except codec.ContractError:
            continue
        if letter.original_seq is not None:
            out.setdefault(letter.consumer, set()).add(letter.original_seq)
    return out


async def _stuck_consumers(rig: Rig) -> dict[str, int]:
    """Durable consumers on CALLS with messages still waiting or unacknowledged."""
    await asyncio.sleep(1.0)
    out: dict[str, int] = {}
    for info in await rig.nc.jetstream().consumers_info(CALLS_STREAM):
        waiting = int(info.num_pending or 0) + int(info.num_ack_pending or 0)
        if waiting and info.config.durable_name:
            out[info.config.durable_name] = waiting
    return out


@dataclass
class Race:
    """Verified, qualified callers, each offered the same slot (``starts``)."""

    starts: datetime
    requests: list[BookAppointment]


async def prepare_race(rig: Rig, n: int) -> Race:
    base = _next_weekday(datetime.now(UTC) + timedelta(days=3))
    starts = base.replace(hour=15, minute=0, second=0, microsecond=0) + timedelta(hours=rig.races)
    rig.races += 1
    sessions = await asyncio.to_thread(_race_callers, rig.database_url, n, starts)
    return Race(starts, [BookAppointment(session=s, slot_id=slot,
                                         idempotency_key=uuid.uuid4().hex)
                         for s, slot in sessions])  # fmt: skip


async def run_race(rig: Rig, race: Race, wait: float) -> Counter[str]:
    """Every booking at once; the replies by kind (booked, an error code, no reply)."""
    replies = await asyncio.gather(*(_tool(rig.nc, r, wait=wait) for r in race.requests))
    return Counter(_outcome_kind(r) for r in replies)


async def race_booked(rig: Rig, race: Race) -> tuple[int, int]:
    """(appointments, billing events) for the race's slot."""
    appointments = await rig.scalar(
        "SELECT count(*) FROM tools.appointments WHERE starts_at = %s", race.starts)  # fmt: skip
    billed = await rig.scalar(
        "SELECT count(*) FROM tools.billing_events b JOIN tools.appointments a"
        " ON a.id = b.appointment_id WHERE a.starts_at = %s", race.starts)  # fmt: skip
    return int(appointments or 0), int(billed or 0)


async def drill_booking_race(rig: Rig) -> Result:
    """``bookings`` verified, qualified callers, each offered the same slot, all book at once
    (over the bus, two tools copies, deployed limits): exactly one appointment."""
    sizes = rig.sizes
    race = await prepare_race(rig, sizes.bookings)
    t0 = time.monotonic()
    kinds = await run_race(rig, race, wait=120)
    took = time.monotonic() - t0
    booked = kinds.pop("booked", 0)
    appointments, billed = await race_booked(rig, race)
    unanswered = kinds.get("no reply", 0)
    passed = appointments == 1 and booked == 1 and billed == 1 and unanswered == 0
    refused = ", ".join(f"{k} {v}" for k, v in kinds.most_common())
    return Result(
        f"{sizes.bookings:,} bookings of one slot",
        "exactly 1 appointment (billed once); every request answered",
        f"{appointments} appointment, {booked} booked, {billed} billed; refused: {refused}; "
        f"{took:.1f} s",
        passed,
        details={"replies": dict(kinds), "booked": booked},
    )  # fmt: skip


def _next_weekday(day: datetime) -> datetime:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _race_callers(db: str, n: int, starts: datetime) -> list[tuple[ToolSession, str]]:
    """``n`` qualified leads, each bound and verified in its own call and offered the same
    slot of the Pacific broker — as if each had run lookup, verify and availability."""
    from services.tools.seed import stable_id

    pacific = stable_id("broker", "brk-pacific")
    run = uuid.uuid4().hex[:6]
    expires = datetime.now(UTC) + timedelta(hours=1)
    leads, calls, offers, out = [], [], [], []
    base = random.randrange(0, 9_000_000 - n)
    for i in range(n):
        lead, call_id = uuid.uuid4(), f"call_race{run}{i:05d}"
        phone, slot = f"+1555{base + i:07d}", f"slot_race{run}{i:05d}"
        leads.append((lead, phone))
        calls.append((call_id, lead, phone))
        offers.append((slot, call_id, lead, pacific, starts, starts + timedelta(minutes=45),
                       "America/Los_Angeles", expires))  # fmt: skip
        out.append((ToolSession(call_id=call_id, lead_id=str(lead), verified=True,
                                caller_number=phone), slot))  # fmt: skip
    with psycopg.connect(db) as conn, conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO tools.leads (id, phone, status, gate_age, gate_homeowner,"
            " gate_primary_residence, gate_equity) VALUES (%s, %s, 'qualified', true, true,"
            " true, true)", leads)  # fmt: skip
        cur.executemany(
            "INSERT INTO tools.call_bindings (call_id, lead_id, caller_phone, verified)"
            " VALUES (%s, %s, %s, true)", calls)  # fmt: skip
        cur.executemany(
            "INSERT INTO tools.issued_slots (slot_id, call_id, lead_id, broker_id, starts_at,"
            " ends_at, caller_timezone, expires_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            offers)  # fmt: skip
    return out


async def _tool(nc: Any, req: ToolRequest, wait: float = 10.0) -> Any:
    try:
        msg = await nc.request(
            tool_subject(TOOL_OF[type(req)].value), codec.encode(req), timeout=wait
        )
        return codec.decode(msg.data, ToolReply).result
    except Exception as err:
        return err


def _outcome_kind(result: Any) -> str:
    if isinstance(result, AppointmentBooked):
        return "booked"
    if isinstance(result, ToolError):
        return result.code.value
    if isinstance(result, BaseException):
        return "no reply"
    return type(result).__name__


async def drill_forged_sessions(rig: Rig) -> Result:
    """Tools requests whose session names a call nobody started, a call that came from
    another number, or a call that has ended: every one refused."""
    sizes = rig.sizes
    js = rig.nc.jetstream()
    per = max(1, sizes.forged // 3)
    cases: list[tuple[str, ToolRequest]] = []
    for _ in range(per):  # a call nobody started
        cases.append(("never started", LookupLead(session=ToolSession(
            call_id=new_call_id(), caller_number=MARGARET))))  # fmt: skip
    for _ in range(per):  # the gateway saw another number than the session claims
        cid = new_call_id()
        await publish_event(js, call_subject(cid, "started"), CallStarted(
            call_id=cid, direction=CallDirection.INBOUND, from_number="+12065550999",
            to_number=DIALLED))  # fmt: skip
        cases.append(("another number", LookupLead(session=ToolSession(
            call_id=cid, caller_number=WALTER))))  # fmt: skip
    for _ in range(per):  # the call has ended
        cid = new_call_id()
        await publish_event(js, call_subject(cid, "started"), CallStarted(
            call_id=cid, direction=CallDirection.INBOUND, from_number=MARGARET,
            to_number=DIALLED))  # fmt: skip
        await publish_event(js, call_subject(cid, "ended"), CallEnded(
            call_id=cid, reason=EndReason.CALLER_HUNG_UP, duration_ms=1000))  # fmt: skip
        cases.append(("ended call", LookupLead(session=ToolSession(
            call_id=cid, caller_number=MARGARET))))  # fmt: skip
    results = await asyncio.gather(*(_tool(rig.nc, req, wait=30) for _, req in cases))
    # a refusal must leave nothing behind: no call nobody started is bound to a lead, no call
    # is bound to the number its forged session claimed (the dialogue, seeing a real
    # ``started``, binds the call to the number the gateway saw: that one is legitimate).
    # Checked after a pause, so a request answered "timeout" but still running is caught too.
    await asyncio.sleep(2.0)
    never = [req.session.call_id for what, req in cases if what == "never started"]
    other = [req.session.call_id for what, req in cases if what == "another number"]
    bound = int(await rig.scalar(
        "SELECT count(*) FROM tools.call_bindings WHERE call_id = ANY(%s)"
        " OR (call_id = ANY(%s) AND caller_phone = %s)", never, other, WALTER) or 0)  # fmt: skip
    accepted = Counter(what for (what, _), r in zip(cases, results, strict=True)
                       if not isinstance(r, (ToolError, BaseException)))  # fmt: skip
    codes = Counter(_outcome_kind(r) for r in results)
    passed = not accepted and not bound and codes.get("no reply", 0) == 0
    return Result(
        "forged sessions",
        "0 accepted, none bound as claimed (never started / another number / ended call)",
        f"{sum(accepted.values())} of {len(cases)} accepted, {bound} bound as claimed; "
        + ", ".join(f"{k} {v}" for k, v in codes.most_common()),
        passed,
        details={"accepted_by_case": dict(accepted), "replies": dict(codes), "bound": bound},
    )  # fmt: skip


#: what an identity must not do, tried by the drill against the running stack's server:
#: (identity, "pub" | "sub", subject) — writing another's events, reading what it does not
#: own, calling what it does not use, changing streams, reading another identity's inbox
FORBIDDEN: tuple[tuple[Identity, str, str], ...] = (
    *[(Identity.DIALOGUE, "pub", f"calls.{{call}}.{e}") for e in ("started", "turn", "ended")],
    (Identity.DIALOGUE, "pub", "store.transcript"),
    (Identity.DIALOGUE, "sub", "calls.*.transcript"),
    (Identity.DIALOGUE, "pub", "$JS.API.STREAM.DELETE.CALLS"),
    *[(Identity.TOOLS, "pub", f"calls.{{call}}.{e}") for e in ("started", "turn", "reply")],
    (Identity.TOOLS, "sub", "calls.>"),
    (Identity.TOOLS, "sub", "store.>"),
    (Identity.PERSISTENCE, "pub", "calls.{call}.turn"),
    (Identity.PERSISTENCE, "pub", "tools.book_appointment"),
    (Identity.PERSISTENCE, "sub", "tools.>"),
    (Identity.PERSISTENCE, "pub", "$JS.API.STREAM.PURGE.CALLS"),
    (Identity.GATEWAY, "pub", "calls.{call}.reply"),
    (Identity.GATEWAY, "pub", "tools.lookup_lead"),
    (Identity.GATEWAY, "pub", "store.caller_context"),
    (Identity.GATEWAY, "sub", "calls.>"),
    *[(Identity.ENGINEER, "pub", f"calls.{{call}}.{e}") for e in ("started", "turn", "tool")],
    (Identity.ENGINEER, "pub", "tools.book_appointment"),
    (Identity.ENGINEER, "pub", "store.transcript"),
    (Identity.ENGINEER, "pub", "$JS.API.STREAM.DELETE.CALLS"),
    (Identity.ENGINEER, "pub", "$JS.API.CONSUMER.DURABLE.CREATE.CALLS.stolen"),
    (Identity.ENGINEER, "sub", "tools.>"),
    *[(i, "sub", "_INBOX_admin.>") for i in Identity if i is not Identity.ADMIN],
    *[(i, "sub", "_INBOX_dialogue.>") for i in Identity if i not in (Identity.DIALOGUE,
                                                                       Identity.ADMIN)],
)  # fmt: skip


class _Attacker:
    def __init__(self, identity: Identity) -> None:
        self.identity = identity
        self.errors: list[str] = []

    async def open(self, url: str) -> Any:
        async def on_error(err: Exception) -> None:
            self.errors.append(str(err).lower())

        return await connect(url, f"chaos-{self.identity}", self.identity, error_cb=on_error,
                             max_reconnect_attempts=2)  # fmt: skip

    def refused(self, kind: str, subject: str) -> bool:
        wanted = f'permissions violation for {kind} to "{subject}"'.lower()
        return any(wanted in e for e in self.errors)


async def _attempt(rig: Rig, identity: Identity, how: str, subject: str) -> tuple[bool, bool]:
    """One forbidden operation: (it got through, the server reported a violation)."""
    attacker = _Attacker(identity)
    nc = await attacker.open(rig.nats_url)
    got: asyncio.Queue[Any] = asyncio.Queue()
    sample = subject.replace(">", "x").replace("*", "call_chaos01")
    try:
        if how == "pub":
            watch = await rig.nc.subscribe(subject, cb=got.put)
            await settle_subscriptions(rig.nc)
            await nc.publish(subject, b"{}")
            await nc.flush()
        else:
            watch = await nc.subscribe(subject, cb=got.put)
            await settle_subscriptions(nc)
            await rig.nc.publish(sample, b"{}")
            await rig.nc.flush()
        kind = "publish" if how == "pub" else "subscription"
        for _ in range(20):  # up to 1 s for the message or the server's report
            if not got.empty() or attacker.refused(kind, subject):
                break
            await asyncio.sleep(0.05)
        with contextlib.suppress(Exception):
            await watch.unsubscribe()
        return not got.empty(), attacker.refused(kind, subject)
    finally:
        await nc.close()


async def _anonymous_refused(url: str) -> bool:
    try:
        nc = await connect_once(url, "chaos-anonymous", identity=Identity.ENGINEER,
                                user="nobody", password="guess")  # fmt: skip
    except BusUnavailable:
        return True
    await nc.close()
    return False


async def drill_forbidden_operations(rig: Rig) -> Result:
    """Connect as each identity (the shipped ``deploy/nats/auth.conf`` the stack runs with)
    and try what it must not do (:data:`FORBIDDEN`), plus a client with a made-up password.
    Bar: every attempt refused by the server (a permissions violation reported, nothing
    delivered); the other drills show the services doing their real work under the same
    permissions."""
    call = "call_chaosforbid01"
    through: list[str] = []
    unreported: list[str] = []
    for identity, how, pattern in FORBIDDEN:
        subject = pattern.format(call=call)
        delivered, reported = await _attempt(rig, identity, how, subject)
        label = f"{identity} {how} {subject}"
        if delivered:
            through.append(label)
        elif not reported:
            unreported.append(label)
    anonymous = await _anonymous_refused(rig.nats_url)
    attempts = len(FORBIDDEN)
    refused = attempts - len(through) - len(unreported)
    passed = not through and not unreported and anonymous
    measured = (f"{refused}/{attempts} refused by the server, {len(through)} got through; "
                f"a made-up password {'refused' if anonymous else 'ACCEPTED'}")  # fmt: skip
    return Result("forbidden operations",
                  "every forbidden publish/subscribe refused; no client without an identity",
                  measured, passed,
                  details={"through": through, "not_reported": unreported})  # fmt: skip


#: The drills in the order they run (names for ``--only``).
DRILLS: dict[str, Drill] = {
    "kill-persistence": drill_kill9_persistence,
    "kill-tools": drill_kill9_tools,
    "kill-dialogue": drill_kill9_dialogue,
    "nats-restart": drill_nats_restart,
    "postgres-down": drill_postgres_down,
    "malformed": drill_malformed,
    "forged-sessions": drill_forged_sessions,
    "booking-race": drill_booking_race,
    "forbidden-operations": drill_forbidden_operations,
}


# ---- running and reporting -------------------------------------------------------------------


async def run_drills(rig: Rig, names: list[str], echo: bool = True) -> list[Result]:
    results: list[Result] = []
    for name in names:
        t0 = time.monotonic()
        if echo:
            print(f"· {name} …", flush=True)
        try:
            result = await DRILLS[name](rig)
        except Exception as err:
            result = Result(name, "(the drill ran to the end)",
                            f"drill error: {type(err).__name__}: {err}", False)  # fmt: skip
        result.seconds = round(time.monotonic() - t0, 1)
        if echo:
            print(f"  {_mark(result.passed)}  {result.measured}  ({result.seconds:.0f} s)",
                  flush=True)  # fmt: skip
        results.append(result)
    return results


def _mark(passed: bool | None) -> str:
    return "pending" if passed is None else "pass" if passed else "FAIL"


def table(results: list[Result]) -> str:
    rows = [("drill", "bar", "measured", "pass")]
    rows += [(r.drill, r.bar, r.measured, _mark(r.passed)) for r in results]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
             for row in rows]  # fmt: skip
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def write_results(results: list[Result], sizes: Sizes, wall_s: float) -> Path:
    folder = project_root() / "bench" / "results"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = folder / f"chaos-{stamp}.json"
    path.write_text(json.dumps({
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(), "wall_s": round(wall_s, 1), "sizes": asdict(sizes),
        "passed": all(r.passed is not False for r in results),
        "drills": [asdict(r) for r in results],
    }, indent=2, default=str) + "\n")  # fmt: skip
    return path


async def run(names: list[str], sizes: Sizes, root: Path | None = None,
              echo: bool = True) -> list[Result]:  # fmt: skip
    """Start a rig (under ``root``, else a temporary directory), run ``names``, stop it."""
    with tempfile.TemporaryDirectory(prefix="ec-chaos-") as tmp:
        rig = Rig(root or Path(tmp), sizes)
        try:
            if echo:
                print(f"starting NATS, Postgres and {rig.copies} copies of each service "
                      f"under {rig.root}", flush=True)  # fmt: skip
            await rig.start()
            return await run_drills(rig, names, echo)
        finally:
            await rig.close()


def main(names: list[str] | None = None, quick: bool = False, keep: Path | None = None) -> int:
    sizes = QUICK if quick else FULL
    chosen = names or list(DRILLS)
    unknown = [n for n in chosen if n not in DRILLS]
    if unknown:
        print(f"error: unknown drill {', '.join(unknown)} (one of {', '.join(DRILLS)})",
              file=sys.stderr)  # fmt: skip
        return 2
    # a timeout's SIGTERM unwinds like Ctrl-C: the services and servers the rig started stop
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    t0 = time.monotonic()
    results = asyncio.run(run(chosen, sizes, keep))
    wall = time.monotonic() - t0
    print()
    print(table(results))
    path = write_results(results, sizes, wall)
    print(f"\n{sum(r.passed is True for r in results)} passed, "
          f"{sum(r.passed is False for r in results)} failed, "
          f"{sum(r.passed is None for r in results)} pending; {wall:.0f} s; "
          f"results in {path.relative_to(project_root())}")  # fmt: skip
    return 1 if any(r.passed is False for r in results) else 0
