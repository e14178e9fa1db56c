"""One trace per call: a simulated call through persistence, tools and dialogue (in-process, real
nats-server and Postgres) is one OpenTelemetry trace with spans from all four services, named by
subject templates, and no caller's details in any attribute."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from contracts import telemetry
from contracts.bus import connect
from services.agent_gateway.simulate import run_call
from services.ops.inprocess import services_running
from services.ops.seeding import seed_all
from tests.gateway.test_simulated_calls import UNKNOWN_WHO_BOOKS

pytestmark = pytest.mark.slow

CALLER = "+15095550461"
SAID = UNKNOWN_WHO_BOOKS  # the same call the gateway tests place: a new caller who books
#: what must never be in a span: the caller's number (any form), name, place, what was said
PII = [CALLER, CALLER[2:], "5095550461", "555-0461", "Walter", "Greene", "Spokane", "99201",
       "sixty-eight", "four hundred", "reverse mortgage"]  # fmt: skip


@pytest.fixture
def exporter(monkeypatch: pytest.MonkeyPatch) -> Iterator[InMemorySpanExporter]:
    for name in ("OTEL_TRACES_EXPORTER", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_SERVICE_NAME"):
        monkeypatch.delenv(name, raising=False)
    telemetry.reset()
    memory = InMemorySpanExporter()
    telemetry.export_to(SimpleSpanProcessor(memory))
    try:
        yield memory
    finally:
        telemetry.reset()


@pytest.fixture
async def stack(nc: Any, nats_url: str, db: str, exporter: Any) -> AsyncIterator[str]:
    seed_all(db)
    async with services_running(nats_url, db, {"EC_DIALOGUE_POLICY": "offline"}):
        yield db


async def lines(*said: str) -> AsyncIterator[str]:
    for line in said:
        yield line


def test_tracing_is_off_by_default() -> None:
    assert not telemetry.tracing_enabled({})
    assert telemetry.tracing_enabled({"OTEL_TRACES_EXPORTER": "otlp"})
    assert telemetry.tracing_enabled({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4317"})
    assert not telemetry.tracing_enabled(
        {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4317", "OTEL_TRACES_EXPORTER": "none"}
    )
    assert not telemetry.tracing_enabled({"OTEL_TRACES_EXPORTER": "otlp",
                                          "OTEL_SDK_DISABLED": "true"})  # fmt: skip
    # an env file's empty lines count as unset
    assert not telemetry.tracing_enabled({"OTEL_TRACES_EXPORTER": "", "OTEL_SDK_DISABLED": ""})
    assert telemetry.tracing_enabled(
        {"OTEL_TRACES_EXPORTER": "", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4317"}
    )


def test_subjects_are_templated() -> None:
    t = telemetry.subject_template
    assert t("calls.call_abc123.turn") == "calls.{call_id}.turn"
    assert t("dlq.calls.call_abc123.turn") == "dlq.calls.{call_id}.turn"
    assert t("_INBOX.aXbYcZ.42") == "_INBOX"
    assert t("tools.book_appointment") == "tools.book_appointment"


async def test_one_simulated_call_is_one_trace_across_the_four_services(
    nats_url: str, stack: str, exporter: InMemorySpanExporter
) -> None:
    nc = await connect(nats_url, "simulated-call")
    try:
        result = await run_call(nc, CALLER, lines(*SAID), outcome_wait_s=5)
    finally:
        await nc.drain()
    assert result.outcome == "booked", result.transcript
    call_id = result.call_id

    def of_call(span: Any) -> bool:
        return (span.attributes or {}).get(telemetry.CALL_ID) == call_id

    # the writer commits asynchronously: wait for the call's last events to be persisted
    for _ in range(100):
        spans = exporter.get_finished_spans()
        if any(s.name == "calls.{call_id}.ended persist" and of_call(s) for s in spans):
            break
        await __import__("asyncio").sleep(0.05)
    spans = exporter.get_finished_spans()
    started = [s for s in spans if s.name == "calls.{call_id}.started publish" and of_call(s)]
    assert len(started) == 1
    trace_id = started[0].context.trace_id
    in_trace = [s for s in spans if s.context.trace_id == trace_id]
    services = Counter(s.resource.attributes[telemetry.SERVICE] for s in in_trace)
    assert set(services) == {"gateway", "dialogue", "tools", "persistence"}, services
    names = {s.name for s in in_trace}
    for expected in (
        "calls.{call_id}.started publish",  # gateway
        "calls.{call_id}.turn process",  # dialogue, each turn
        "calls.{call_id}.reply create",  # dialogue's reply chunks
        "tools.book_appointment process",  # tools
        "tools.book_appointment handler",  # tools: its database work
        "store.caller_context process",  # persistence reads
        "calls.{call_id}.turn persist",  # persistence writes
        "calls.{call_id}.tool persist",  # the tools' audit, written
    ):
        assert expected in names, sorted(names)
    # every one of the call's spans is in its one trace
    assert {s.context.trace_id for s in spans if of_call(s)} == {trace_id}
    # names are templates: never a concrete call id or inbox
    for span in spans:
        assert call_id not in span.name and not re.search(r"_INBOX\.", span.name), span.name
    # no caller's details anywhere
    for span in spans:
        text = " ".join(f"{k}={v}" for k, v in (span.attributes or {}).items()) + span.name
        for event in span.events:
            text += " ".join(f"{k}={v}" for k, v in (event.attributes or {}).items())
        for secret in PII:
            assert secret.lower() not in text.lower(), (secret, span.name)
        for key, value in (span.attributes or {}).items():
            if "destination" in key:
                assert call_id not in str(value), (key, value)
