"""Post-call analysis against real NATS and Postgres: an ended call gets one evaluation (six
0–10 scores), its cost, and one ``calls.<id>.analyzed`` event; a redelivered ``ended`` changes
nothing; with an LLM configured the fake OpenAI server's structured answer is used, and a
malformed one falls back to the deterministic evaluator, named as such."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import AsyncIterator
from typing import Any

import msgspec
import pytest

from contracts import codec
from contracts.bus import publish_event
from contracts.calls import CallAnalyzed, CallEnded, CallStarted, OutcomeRecorded
from contracts.runtime import Stats
from contracts.subjects import CALLS_STREAM
from services.dialogue.fakes.openai_server import FakeOpenAI, Reply
from services.ops.seeding import seed_all
from services.persistence.analysis.llm import SCHEMA
from services.persistence.bootstrap import start
from services.persistence.settings import Settings
from tests.persistence.conftest import eventually
from tests.persistence.events import call_events, subject_of
from tests.persistence.test_cli import ec

SCORES = ("opening", "property_discussion", "objection_handling", "booking_attempt", "tone",
          "overall_flow")  # fmt: skip
GOOD_ANSWER = {
    "summary": "Eleanor wants to talk to her son first; callback booked.",
    "scores": {"opening": 9, "property_discussion": 6, "objection_handling": 8,
               "booking_attempt": 7, "tone": 9, "overall_flow": 8},
    "strengths": ["warm opening"], "weaknesses": ["no home value asked"], "red_flags": [],
    "facts": {"age": 71, "age_62_plus": True, "callback_requested": True,
              "objections": ["heirs"]},
}  # fmt: skip


async def _template(db: str, query: Any) -> tuple[str, float]:
    seed_all(db)
    tid, price = query("SELECT id, est_cost_per_min_cents FROM ai_templates ORDER BY key")[0]
    return str(tid), float(price)


def _with_template(events: list[tuple[str, Any]], template_id: str) -> list[tuple[str, Any]]:
    name, started = events[0]
    assert isinstance(started, CallStarted)
    return [(name, msgspec.structs.replace(started, template_id=template_id)), *events[1:]]


async def _analyzed(nc: Any) -> tuple[list[CallAnalyzed], Any]:
    got: list[CallAnalyzed] = []

    async def on(msg: Any) -> None:
        got.append(codec.decode(msg.data, CallAnalyzed))

    sub = await nc.subscribe("calls.*.analyzed", cb=on)
    return got, sub


async def _settled(js: Any) -> None:
    """The analysis consumer has acknowledged everything it was given."""
    for _ in range(200):
        info = await js.consumer_info(CALLS_STREAM, "persistence-analysis")
        if info.num_pending == 0 and info.num_ack_pending == 0:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("analysis consumer did not settle")


async def test_an_ended_call_is_analyzed_once_with_its_cost(
    nc: Any, persistence: Any, query: Any, db: str, nats_url: str
) -> None:
    js = nc.jetstream()
    template_id, price = await _template(db, query)
    events = _with_template(call_events(), template_id)
    call_id = events[0][1].call_id
    got, sub = await _analyzed(nc)
    for name, event in events:
        await publish_event(js, subject_of(event, name), event)
    await eventually(lambda: len(got) == 1)
    rows = query(f"SELECT evaluator, {', '.join(SCORES)}, summary FROM evaluations")
    assert len(rows) == 1
    evaluator, *scores, summary = rows[0]
    assert evaluator == "deterministic-v1"
    assert all(0 <= s <= 10 for s in scores)
    assert summary == "Wants to talk to her son first."
    event = got[0]
    assert event.call_id == call_id and event.evaluator == "deterministic-v1"
    assert [getattr(event.scores, s) for s in SCORES] == scores
    assert event.facts["callback_requested"] is True and event.facts["age"] == 71
    expected = round(65_000 / 60_000 * price, 3)  # 65 s at the template's price per minute
    assert event.cost_cents == pytest.approx(expected)
    cost = query("SELECT cost_cents, cost_per_min_cents FROM calls")[0]
    assert float(cost[0]) == pytest.approx(expected) and float(cost[1]) == price

    # `ended` delivered again (no Nats-Msg-Id: the stream keeps both copies)
    ended = events[-1][1]
    assert isinstance(ended, CallEnded)
    await nc.publish(subject_of(ended, "ended"), codec.encode(ended))
    await nc.flush()
    await _settled(js)
    await asyncio.sleep(0.2)
    assert query("SELECT count(*) FROM evaluations")[0][0] == 1
    assert len(got) == 1, "a redelivered ended publishes no second analysis"
    await sub.unsubscribe()

    shown = ec(nats_url, db, "calls", "show", call_id)
    assert shown.returncode == 0, shown.stderr
    assert "deterministic-v1" in shown.stdout and "opening" in shown.stdout
    assert f"{expected:.2f}¢" in shown.stdout


async def test_an_ended_call_without_template_costs_nothing(
    nc: Any, persistence: Any, query: Any
) -> None:
    js = nc.jetstream()
    got, sub = await _analyzed(nc)
    for name, event in call_events():
        await publish_event(js, subject_of(event, name), event)
    await eventually(lambda: len(got) == 1)
    assert got[0].cost_cents == 0 and got[0].llm_tokens == 0
    await sub.unsubscribe()


async def test_the_dialogues_tokens_are_priced_into_the_cost(
    nc: Any, settings: Settings, query: Any, db: str
) -> None:
    template_id, price = await _template(db, query)
    stats = Stats(service="persistence")
    stop = await start(nc, stats, dataclasses.replace(settings, llm_price_per_1k_tokens_cents=2.0))
    try:
        js = nc.jetstream()
        got, sub = await _analyzed(nc)
        events = _with_template(call_events(), template_id)
        name, outcome = events[-2]
        assert isinstance(outcome, OutcomeRecorded)
        events[-2] = (name, msgspec.structs.replace(outcome, llm_tokens=1500))
        for name, event in events:
            await publish_event(js, subject_of(event, name), event)
        await eventually(lambda: len(got) == 1)
        expected = round(65_000 / 60_000 * price + 1500 / 1000 * 2.0, 3)
        assert got[0].llm_tokens == 1500 and got[0].cost_cents == pytest.approx(expected)
        assert query("SELECT llm_tokens FROM calls") == [(1500,)]
        await sub.unsubscribe()
    finally:
        await stop()


@pytest.fixture
def llm(fake_openai: FakeOpenAI) -> FakeOpenAI:
    return fake_openai


@pytest.fixture
async def with_llm(nc: Any, settings: Settings, llm: FakeOpenAI) -> AsyncIterator[Stats]:
    stats = Stats(service="persistence")
    configured = dataclasses.replace(
        settings, analysis_llm_model="fake-judge", analysis_llm_base_url=llm.base_url,
        analysis_llm_api_key="test", llm_price_per_1k_tokens_cents=2.0,
    )  # fmt: skip
    stop = await start(nc, stats, configured)
    try:
        yield stats
    finally:
        await stop()


async def test_with_an_llm_its_structured_answer_is_stored(
    nc: Any, llm: FakeOpenAI, with_llm: Any, query: Any
) -> None:
    llm.script(Reply(text=json.dumps(GOOD_ANSWER), prompt_tokens=400))
    js = nc.jetstream()
    got, sub = await _analyzed(nc)
    for name, event in call_events():
        await publish_event(js, subject_of(event, name), event)
    await eventually(lambda: len(got) == 1)
    event = got[0]
    assert event.evaluator == "llm:fake-judge"
    assert event.scores.opening == 9 and event.strengths == ["warm opening"]
    assert event.facts == GOOD_ANSWER["facts"]
    assert event.llm_tokens > 400
    assert event.cost_cents == pytest.approx(round(event.llm_tokens / 1000 * 2.0, 3))
    request = llm.requests[-1]
    assert request["response_format"]["json_schema"]["schema"] == SCHEMA
    assert request["stream_options"] == {"include_usage": True}
    assert "Hi, I'm Eleanor." in request["messages"][1]["content"]
    row = query("SELECT evaluator, opening, llm_tokens FROM evaluations")[0]
    assert row == ("llm:fake-judge", 9, event.llm_tokens)
    await sub.unsubscribe()


@pytest.mark.parametrize(
    "answer",
    ["Sure! The call went well.",  # not JSON
     json.dumps({**GOOD_ANSWER, "scores": {**GOOD_ANSWER["scores"], "tone": 11}}),  # out of range
     json.dumps({k: v for k, v in GOOD_ANSWER.items() if k != "scores"})],  # missing field
    ids=["prose", "score-11", "no-scores"],
)  # fmt: skip
async def test_a_malformed_llm_answer_falls_back_to_the_deterministic_evaluator(
    nc: Any, llm: FakeOpenAI, with_llm: Any, query: Any, answer: str
) -> None:
    llm.script(Reply(text=answer))
    js = nc.jetstream()
    got, sub = await _analyzed(nc)
    for name, event in call_events():
        await publish_event(js, subject_of(event, name), event)
    await eventually(lambda: len(got) == 1)
    assert got[0].evaluator == "deterministic-v1"
    assert got[0].llm_tokens > 0, "the tokens spent on the failed answer still cost"
    assert query("SELECT evaluator FROM evaluations") == [("deterministic-v1",)]
    await sub.unsubscribe()


async def test_an_llm_server_error_falls_back_too(
    nc: Any, llm: FakeOpenAI, with_llm: Any, query: Any
) -> None:
    llm.script(Reply(status=500), Reply(status=500))
    js = nc.jetstream()
    got, sub = await _analyzed(nc)
    for name, event in call_events():
        await publish_event(js, subject_of(event, name), event)
    await eventually(lambda: len(got) == 1)
    assert got[0].evaluator == "deterministic-v1" and got[0].llm_tokens == 0
    await sub.unsubscribe()


async def test_the_analysis_consumer_counts_in_readiness(nc: Any, persistence: Any) -> None:
    """Like the writer's, its fetches beat: a copy whose analysis stops fetching is unready
    (the staleness rule itself: tests/test_health_lag.py)."""
    await eventually(lambda: "persistence-analysis" in persistence.health.beats)
    ready, report = await persistence.health.evaluate(nc)
    assert ready and report["consumer:persistence-analysis"] == "ok", report


async def test_a_call_where_the_caller_said_nothing_is_skipped_without_the_llm(
    nc: Any, llm: FakeOpenAI, with_llm: Any, query: Any
) -> None:
    js = nc.jetstream()
    got, sub = await _analyzed(nc)
    greeting_only = [(n, e) for n, e in call_events()
                     if not (n == "transcript" and e.speaker.value == "caller")]  # fmt: skip
    for name, event in greeting_only:
        await publish_event(js, subject_of(event, name), event)
    await eventually(lambda: len(got) == 1)
    assert got[0].evaluator == "skipped-no-conversation"
    assert got[0].llm_tokens == 0 and not llm.requests, "no LLM spent on an empty call"
    assert query("SELECT evaluator, overall_flow FROM evaluations") == [
        ("skipped-no-conversation", 0)]  # fmt: skip
    await sub.unsubscribe()
