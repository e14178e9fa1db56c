"""Issue 13 (items 3–5): every copy's ``/metrics``, ``/health/live`` and ``/health/ready`` over
real HTTP against real NATS and Postgres (with the faults that make a copy not ready), JSON
logs with the call and trace id, the redaction filter, and the presence pong's new fields."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from contracts.bus import connect
from contracts.observability import logs, metrics
from contracts.observability.http import HttpSettings, observe
from contracts.ops import InstancePong
from contracts.runtime import Stats
from services.ops.infra import PostgresCluster, free_port
from services.ops.inprocess import services_running
from services.ops.migrate import migrate, service_url
from services.ops.stack import create_database

# ---- HTTP, the way curl sees it --------------------------------------------------------------


async def get(port: int, path: str) -> tuple[int, str]:
    """``GET http://127.0.0.1:<port><path>`` → (status, body)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
    await writer.drain()
    raw = await asyncio.wait_for(reader.read(), 10)
    writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = int(re.search(rb"Content-Length: (\d+)", head)[1])  # type: ignore[index]
    assert len(body) == length
    return status, body.decode()


async def eventually_status(port: int, path: str, want: int, within: float) -> str:
    deadline = asyncio.get_running_loop().time() + within
    while True:
        status, body = await get(port, path)
        if status == want:
            return body
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"{path}: {status} {body} (wanted {want})")
        await asyncio.sleep(0.2)


@pytest.fixture
async def stack(nc: Any, nats_url: str, db: str) -> AsyncIterator[dict[str, Stats]]:
    """Persistence, tools and dialogue in-process, each with its own HTTP port."""
    env = {"EC_DIALOGUE_POLICY": "offline", "EC_TOOLS_EMBEDDER": "hash",
           "EC_TOOLS_EMBED_ON_START": "0"}  # fmt: skip
    async with services_running(nats_url, db, env, http=True) as copies:
        yield copies


@pytest.mark.slow
async def test_every_copy_serves_metrics_liveness_and_readiness(
    stack: dict[str, Stats], nats_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from services.ops import cli
    from services.ops.presence import instances

    assert set(stack) == {"persistence", "tools", "dialogue"}
    ports = {service: stats.health.http_port for service, stats in stack.items()}
    assert all(ports.values()) and len(set(ports.values())) == 3, ports
    for service, port in ports.items():
        assert port is not None
        assert await get(port, "/health/live") == (200, '{"live": true}\n'), service
        body = json.loads(await eventually_status(port, "/health/ready", 200, 10))
        assert body["ready"] is True and body["checks"]["bus"] == "ok", body
        if service in ("tools", "persistence"):
            assert body["checks"]["database"] == "ok", body
        status, text = await get(port, "/metrics")
        assert status == 200
        for name in ("ec_turn_latency_seconds", "ec_tool_latency_seconds", "ec_dead_letters",
                     "ec_active_calls", "ec_call_outcomes", "ec_llm_tokens",
                     "ec_consumer_lag_messages", "process_cpu_seconds_total"):  # fmt: skip
            assert name in text, f"{service}: {name} missing"
        assert (await get(port, "/nope"))[0] == 404
    # the writer and the dialogue fetch: their consumers' heartbeats show in the readiness,
    # and their lag is sampled into the gauges and the pong
    persistence = stack["persistence"]
    port = persistence.health.http_port
    assert port is not None
    for _ in range(100):
        body = json.loads(await eventually_status(port, "/health/ready", 200, 5))
        if "consumer:persistence-writer" in body["checks"] and persistence.health.lags:
            break
        await asyncio.sleep(0.1)
    assert body["checks"]["consumer:persistence-writer"] == "ok", body
    pong = persistence.pong()
    assert pong.http_port == port and pong.consumer_lag is not None, pong
    _, text = await get(port, "/metrics")
    assert re.search(r'ec_consumer_lag_messages\{consumer="persistence-writer"\} \d', text)
    # the compose healthcheck's client: exit 0 when ready
    code = await asyncio.to_thread(
        cli.main, ["health", "persistence", "--http", "--port", str(port)]
    )
    assert code == 0
    # presence: every copy reports its HTTP port (what `status` shows)
    monkeypatch.setenv("NATS_URL", nats_url)
    pongs = {p.service: p for p in await instances(wait=0.5)}
    for service, stats in stack.items():
        assert pongs[service].http_port == stats.health.http_port, service


@pytest.mark.slow
async def test_a_simulated_call_shows_in_the_metrics(
    stack: dict[str, Stats], nc: Any, db: str
) -> None:
    from services.agent_gateway.simulate import run_call
    from services.ops.seeding import seed_all

    seed_all(db)

    async def say() -> AsyncIterator[str]:
        for line in ("Hello, is this about the reverse mortgage?", "What does it cost?",
                     "Thank you, goodbye."):  # fmt: skip
            yield line

    before = _sample("ec_turn_latency_seconds_count", kind="turn")
    result = await run_call(nc, "+12065550147", say(), outcome_wait_s=5)
    assert result.outcome, result
    port = stack["dialogue"].health.http_port
    assert port is not None
    _, text = await get(port, "/metrics")
    assert _sample("ec_turn_latency_seconds_count", kind="turn") >= before + 2
    assert _sample("ec_turn_latency_seconds_count", kind="greeting") >= 1
    assert f'ec_call_outcomes_total{{outcome="{result.outcome}"}}' in text
    assert re.search(r'ec_tool_latency_seconds_count\{result="ok",tool="lookup_lead"\}', text)
    # no series per call: no call id, no phone number in any label
    assert result.call_id not in text and "2065550147" not in text
    # a turn that is not JSON: dead-lettered, counted per consumer and kind, and in the pong
    before = _sample("ec_dead_letters_total", consumer="dialogue", kind="decode")
    await nc.jetstream().publish("calls.call_garbage42.turn", b"not json")
    for _ in range(100):
        if _sample("ec_dead_letters_total", consumer="dialogue", kind="decode") > before:
            break
        await asyncio.sleep(0.05)
    assert _sample("ec_dead_letters_total", consumer="dialogue", kind="decode") == before + 1
    assert stack["dialogue"].pong().dead_letters >= 1


def _sample(name: str, **labels: str) -> float:
    value = metrics.REGISTRY.get_sample_value(name, labels)
    return value or 0.0


@pytest.mark.slow
@pytest.mark.fault
async def test_dialogue_is_not_ready_when_its_consumer_stops_fetching(
    nc: Any, nats_url: str, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shared durable consumer is deleted under the copy: its fetches fail, the heartbeat
    goes stale and readiness says 503 with the reason; liveness stays 200."""
    monkeypatch.setenv("EC_HEALTH_STALE_S", "6")  # above the 5 s idle fetch
    async with services_running(nats_url, db, {"EC_DIALOGUE_POLICY": "offline",
                                               "EC_TOOLS_EMBEDDER": "hash",
                                               "EC_TOOLS_EMBED_ON_START": "0"},
                                http=True) as copies:  # fmt: skip
        dialogue = copies["dialogue"]
        port = dialogue.health.http_port
        assert port is not None
        body = json.loads(await eventually_status(port, "/health/ready", 200, 10))
        for _ in range(80):  # the first idle fetch (5 s) beats
            if "dialogue" in dialogue.health.beats:
                break
            await asyncio.sleep(0.1)
        assert "dialogue" in dialogue.health.beats
        await nc.jetstream().delete_consumer("CALLS", "dialogue")
        body = json.loads(await eventually_status(port, "/health/ready", 503, 20))
        assert body["ready"] is False
        assert body["checks"]["consumer:dialogue"].startswith("no fetch for"), body
        assert (await get(port, "/health/live"))[0] == 200


@pytest.fixture
def private_postgres(tmp_path: Path) -> Iterator[tuple[PostgresCluster, int]]:
    cluster = PostgresCluster(tmp_path / "pg")
    port = free_port()
    cluster.start(port, fast=True)
    create_database(cluster.admin_url(port, "postgres"), "equity_connect")
    migrate(cluster.admin_url(port))
    try:
        yield cluster, port
    finally:
        cluster.stop()


@pytest.mark.slow
@pytest.mark.fault
async def test_persistence_is_not_ready_while_its_database_is_down(
    nc: Any, nats_url: str, private_postgres: tuple[PostgresCluster, int]
) -> None:
    from services.persistence.bootstrap import start
    from services.persistence.settings import Settings

    cluster, port = private_postgres
    admin = cluster.admin_url(port)
    settings = Settings.from_env(
        {"NATS_URL": nats_url, "EC_PERSISTENCE_DATABASE_URL": service_url(admin, "persistence")}
    )
    conn = await connect(nats_url, "persistence")
    stats = Stats(service="persistence")
    unobserve = await observe(conn, stats, "persistence", HttpSettings(port=0, host="127.0.0.1"))
    try:
        assert stats.health.http_port is not None
        http = stats.health.http_port
        body = json.loads(await eventually_status(http, "/health/ready", 503, 2))
        assert body["checks"]["started"] == "starting"  # not ready before it has started
        stop = await start(conn, stats, settings)
        stats.health.started = True
        try:
            await eventually_status(http, "/health/ready", 200, 10)
            cluster.stop(mode="fast")
            body = json.loads(await eventually_status(http, "/health/ready", 503, 10))
            assert body["checks"]["database"].startswith("unreachable"), body
            assert (await get(http, "/health/live"))[0] == 200
            cluster.start(port, fast=True)
            await eventually_status(http, "/health/ready", 200, 20)
        finally:
            await stop()
    finally:
        await unobserve()
        await conn.drain()


async def test_readiness_says_503_when_the_bus_is_gone() -> None:
    class Gone:
        is_connected = False

    stats = Stats(service="tools")
    stats.health.started = True
    ready, report = await stats.health.evaluate(Gone())
    assert not ready and report["bus"] == "not connected"


# ---- the presence pong and `status` ------------------------------------------------------------


def test_old_pongs_still_decode_and_new_ones_carry_the_copy_state() -> None:
    from contracts import codec
    from services.ops.cli import copy_line

    old = b'{"service":"tools","instance_id":"inst_1","pid":7,"started_at":"2026-01-01T00:00:00Z"}'
    pong = codec.decode(old, InstancePong)
    assert pong.http_port is None and pong.consumer_lag is None and pong.dead_letters == 0
    assert "http -" in copy_line(pong) and "no errors" in copy_line(pong)
    stats = Stats(service="persistence")
    stats.health.http_port = 9101
    stats.health.beat("persistence-writer")
    metrics.count_dead_letter("persistence-writer", "validation")
    logging.getLogger("tests.obs").warning("could not reach +1 (206) 555-0231")
    logs.watch_problems()
    logging.getLogger("tests.obs").warning("could not reach +1 (206) 555-0231")
    new = codec.decode(codec.encode(stats.pong()), InstancePong)
    assert new.http_port == 9101 and new.dead_letters >= 1
    assert new.last_error is not None and "555" not in new.last_error, new.last_error
    line = copy_line(new)
    assert "http :9101" in line and "dead letters" in line and "last error" in line, line


# ---- logs ---------------------------------------------------------------------------------------


@pytest.fixture
def root_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        yield
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in handlers:
            root.addHandler(handler)
        root.setLevel(level)


def test_json_lines_carry_the_call_and_trace_id(root_logging: None) -> None:
    from opentelemetry.sdk.trace import TracerProvider

    out = io.StringIO()
    logs.configure(logging.DEBUG, "json", service="dialogue", stream=out)
    log = logging.getLogger("tests.obs")
    log.info("outside any call")
    tracer = TracerProvider().get_tracer("tests")
    with logs.call_context("call_0123abcdef"), tracer.start_as_current_span("turn") as span:
        log.info("inside %s", "a turn")
        trace_id = f"{span.get_span_context().trace_id:032x}"
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert first["call_id"] is None and first["trace_id"] is None
    assert first["service"] == "dialogue" and first["level"] == "INFO"
    assert second["call_id"] == "call_0123abcdef" and second["trace_id"] == trace_id
    assert second["msg"] == "inside a turn" and second["span_id"]


def test_text_format_and_tracebacks_are_redacted_too(root_logging: None) -> None:
    out = io.StringIO()
    logs.configure(logging.INFO, "text", stream=out)
    try:
        raise ValueError("bad email jane.doe@example.com")
    except ValueError:
        logging.getLogger("tests.obs").exception("failed for %s", "+12065550231")
    text = out.getvalue()
    assert "jane.doe" not in text and "2065550231" not in text, text
    assert "<email>" in text and "<phone>" in text and "Traceback" in text


def test_extra_fields_a_library_logs_are_redacted_too(root_logging: None) -> None:
    """LiveKit's own JSON formatter writes ``extra=`` fields: they are redacted in place."""
    seen: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record)

    logs.configure(logging.INFO, "json", stream=io.StringIO())
    logging.getLogger().addHandler(Keep())
    logs.redact_handlers()
    logging.getLogger("livekit.agents").info(
        "conversation_item_added", extra={"item": {"text": "call me at 206-555-0231"}, "n": 3}
    )
    (record,) = seen
    assert "555-0231" not in str(record.__dict__["item"]) and record.__dict__["n"] == 3


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("caller +12065550231 called", "2065550231"),
        ("call me at (206) 555-0231", "555-0231"),
        ("or 206.555.0231 or 206 555 0231", "555"),
        ("number 2065550231", "2065550231"),
        ("just 555-0231", "555-0231"),
        ("mail margaret.holloway@example.com", "holloway"),
        ("name=Margaret Holloway", "Holloway"),
        ("{'first_name': 'Margaret', 'last_name': 'Holloway'}", "Margaret"),
        ("{'first_name': 'Margaret', 'last_name': 'Holloway'}", "Holloway"),
        ('"name": "Margaret Holloway"', "Margaret"),
        ("Hi, this is Margaret Holloway.", "Holloway"),
        ("my name is Walter Brennan-Cole", "Brennan"),
        ("lives at 4417 Linden Ave N, Seattle", "Linden"),
        ("1200 West Maple Street", "Maple"),
        ("the zip is 98103", "98103"),
        ("zip 98103-1234", "98103"),
        ("I'm 74 years old", "74"),
        ("'age': 74", "74"),
        ("worth $650,000 with a $80,000 balance", "650"),
        ("owes 80000 dollars", "80000"),
        ("needs 40k", "40k"),
        ("ssn 123-45-6789", "6789"),
    ],
)
def test_redaction(text: str, secret: str) -> None:
    redacted = logs.redact(text)
    assert secret not in redacted, redacted


def test_redaction_keeps_what_operators_need() -> None:
    text = ("call call_3fa94c2b1e0d4d6f8a0b tool lookup_lead 12.5 ms attempt 2, "
            "stream seq 1234, dlq.calls.call_3fa94c2b1e0d4d6f8a0b.turn, "
            "nats://127.0.0.1:40647, http://localhost:54321/storage/v1, port 40648")  # fmt: skip
    assert logs.redact(text) == text
    assert logs.redact("zip: 98103, zip:98104") == "zip: <zip>, zip:<zip>"


# ---- a whole call at DEBUG: no PII in any service's log --------------------------------------

#: the seeded caller (services/tools/seed/leads.toml, lead-margaret) in every form it may take
MARGARET = {
    "phone": ["+12065550231", "2065550231", "206-555-0231", "(206) 555-0231", "206.555.0231",
              "206 555 0231", "555-0231", "5550231"],
    "email": ["margaret.holloway@example.com", "margaret.holloway"],
    "name": ["Margaret", "Holloway", "margaret", "holloway"],
    "street": ["4417 Linden", "Linden Ave", "Linden"],
    "zip": ["98103"],
    "age": ["74 years", "seventy-four", "age 74", "aged 74", '"age": 74', "'age': 74"],
    "amounts": ["650,000", "650000", "80,000", "80000", "40,000", "40000", "$650", "$80"],
}  # fmt: skip
SCRIPT = [
    "Hi, this is Margaret Holloway, returning your call.",
    "My number is 206-555-0231, or (206) 555-0231.",
    "I live at 4417 Linden Ave N, Seattle, the zip is 98103.",
    "I'm seventy-four. I am 74 years old.",
    "My email is margaret.holloway@example.com.",
    "The house is worth about $650,000 and I still owe 80,000 dollars.",
    "I'd like to talk with the broker.",
    "Tuesday morning would be best.",
    "The first one.",
    "Thank you, goodbye.",
]


@pytest.mark.slow
async def test_a_whole_call_at_debug_logs_none_of_the_callers_pii(
    nc: Any, nats_url: str, db: str, root_logging: None
) -> None:
    from services.agent_gateway.simulate import run_call
    from services.ops.seeding import seed_all

    seed_all(db)
    out = io.StringIO()
    logs.configure(logging.DEBUG, "json", stream=out)
    env = {"EC_DIALOGUE_POLICY": "offline", "EC_TOOLS_EMBEDDER": "hash",
           "EC_TOOLS_EMBED_ON_START": "0"}  # fmt: skip

    async def say() -> AsyncIterator[str]:
        for line in SCRIPT:
            yield line

    async with services_running(nats_url, db, env):
        result = await run_call(nc, "+12065550231", say(), outcome_wait_s=5)
    logging.getLogger().handlers[0].flush()
    lines = out.getvalue().splitlines()
    assert result.turns >= 5 and result.outcome, result
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    for service in ("services.dialogue", "services.tools"):  # each service's records are here,
        mine = [r for r in records if r["logger"].startswith(service)]
        assert mine, f"no DEBUG record from {service}"
        assert {r["call_id"] for r in mine} == {result.call_id}, mine  # with the call id
    text = "\n".join(lines)
    leaks = {
        f"{kind}: {value!r} in {next(line for line in lines if value in line)[:300]}"
        for kind, values in MARGARET.items()
        for value in values
        if value in text
    }
    assert not leaks, "\n".join(sorted(leaks))
