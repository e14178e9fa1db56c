"""Readiness reports a copy whose consumer falls behind: lag above the bar and growing, read
from a real durable consumer on the real nats-server."""

from __future__ import annotations

import uuid
from typing import Any

from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from contracts.observability.health import LAG_SAMPLES, Health
from contracts.subjects import CALLS_STREAM


async def _consumer(js: Any) -> str:
    name = f"lagging_{uuid.uuid4().hex[:8]}"
    await js.add_consumer(
        CALLS_STREAM,
        config=ConsumerConfig(
            durable_name=name,
            deliver_policy=DeliverPolicy.NEW,
            ack_policy=AckPolicy.EXPLICIT,
            filter_subject="calls.*.transcript",
        ),
    )
    return name


async def _publish(js: Any, n: int) -> None:
    for _ in range(n):
        await js.publish(f"calls.call_{uuid.uuid4().hex[:12]}.transcript", b"{}")


async def test_a_consumer_whose_lag_grows_past_the_bar_makes_the_copy_not_ready(nc: Any) -> None:
    js = nc.jetstream()
    consumer = await _consumer(js)
    health = Health(max_lag=5)
    health.beat(consumer)
    for _ in range(LAG_SAMPLES):
        await _publish(js, 4)  # nobody fetches: the lag grows 4, 8, 12
        await health.sample_lag(js)
    ready, report = await health.evaluate(nc)
    assert not ready
    assert report[f"consumer:{consumer}"] == f"lag {4 * LAG_SAMPLES} and growing"
    assert health.lag() == 4 * LAG_SAMPLES


async def test_a_lag_that_stopped_growing_or_is_under_the_bar_is_ready(nc: Any) -> None:
    js = nc.jetstream()
    consumer = await _consumer(js)
    health = Health(max_lag=5)
    health.beat(consumer)
    await _publish(js, 10)
    for _ in range(LAG_SAMPLES):  # above the bar, but not growing: a backlog being worked
        await health.sample_lag(js)
    ready, report = await health.evaluate(nc)
    assert ready, report
    small = Health(max_lag=1000)
    small.beat(consumer)
    for _ in range(LAG_SAMPLES):
        await _publish(js, 2)  # growing, but far under the bar
        await small.sample_lag(js)
    assert (await small.evaluate(nc))[0]
