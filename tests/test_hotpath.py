"""The turn path on nats-py (``contracts.hotpath``) against a real nats-server: what a
FastStream subscriber gave (decoding to the contract, a typed answer to a malformed request,
FastStream's metric series with templated subjects, concurrency, a clean stop) is kept."""

from __future__ import annotations

import asyncio
from typing import Any

import msgspec
import nats.errors
import pytest

from contracts import codec
from contracts.hotpath import HotPath, Malformed
from contracts.observability.metrics import REGISTRY


class Ask(msgspec.Struct, frozen=True):
    text: str
    n: int = 0


class Answer(msgspec.Struct, frozen=True):
    said: str
    malformed: str | None = None


def _sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def _serving(nc: Any, service: str, subject: str, handler: Any, **options: Any) -> HotPath:
    hot = HotPath(nc, service)
    hot.responder(subject, contract=Ask, **options)(handler)
    await hot.start()
    return hot


async def _echo(body: Any) -> Answer:
    if isinstance(body, Malformed):
        return Answer(said="", malformed=str(body.error))
    return Answer(said=body.text)


async def test_a_request_is_decoded_to_its_contract_and_answered(nc: Any) -> None:
    hot = await _serving(nc, "hp-echo", "hp.echo", _echo)
    try:
        msg = await hot.request("hp.echo", codec.encode(Ask(text="hello")), timeout=2)
        assert codec.decode(msg.data, Answer) == Answer(said="hello")
    finally:
        await hot.stop()


@pytest.mark.parametrize(
    "payload",
    [b"not json", b'{"n": 1}', b'{"text": 5}', b'{"a":' * 3000 + b"1" + b"}" * 3000],
    ids=["not-json", "missing-field", "wrong-type", "nested-3000-deep"],
)
async def test_a_malformed_request_gets_a_typed_answer_and_the_responder_goes_on(
    nc: Any, payload: bytes
) -> None:
    hot = await _serving(nc, "hp-bad", "hp.bad", _echo)
    try:
        bad = codec.decode((await hot.request("hp.bad", payload, timeout=2)).data, Answer)
        assert bad.malformed, bad
        good = codec.decode(
            (await hot.request("hp.bad", codec.encode(Ask(text="still here")), timeout=2)).data,
            Answer,
        )
        assert good.said == "still here"
    finally:
        await hot.stop()


async def test_a_handler_that_fails_is_counted_and_the_next_request_is_answered(nc: Any) -> None:
    async def fragile(body: Any) -> Answer:
        if body.text == "boom":
            raise RuntimeError("boom")
        return Answer(said=body.text)

    hot = await _serving(nc, "hp-fragile", "hp.fragile", fragile)
    labels = {"app_name": "hp-fragile", "broker": "nats", "handler": "hp.fragile"}
    try:
        with pytest.raises(nats.errors.TimeoutError):
            await hot.request("hp.fragile", codec.encode(Ask(text="boom")), timeout=0.5)
        msg = await hot.request("hp.fragile", codec.encode(Ask(text="ok")), timeout=2)
        assert codec.decode(msg.data, Answer).said == "ok"
        assert _sample("faststream_received_processed_messages_total", **labels,
                       status="error") == 1  # fmt: skip
        assert _sample("faststream_received_processed_messages_total", **labels,
                       status="acked") == 1  # fmt: skip
        assert _sample("faststream_received_processed_messages_exceptions_total", **labels,
                       exception_type="RuntimeError") == 1  # fmt: skip
        assert _sample("faststream_received_messages_in_process", **labels) == 0
    finally:
        await hot.stop()


async def test_requests_run_concurrently_up_to_the_limit(nc: Any) -> None:
    running = 0
    peak = 0

    async def slow(body: Any) -> Answer:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.2)
        running -= 1
        return Answer(said=body.text)

    hot = await _serving(nc, "hp-slow", "hp.slow", slow, max_in_flight=3)
    try:
        data = codec.encode(Ask(text="x"))
        await asyncio.gather(*(hot.request("hp.slow", data, timeout=5) for _ in range(6)))
        assert peak == 3  # never more than the limit at once, and not one at a time
    finally:
        await hot.stop()


async def test_stop_answers_the_requests_in_hand_then_takes_no_more(nc: Any) -> None:
    async def slow(body: Any) -> Answer:
        await asyncio.sleep(0.3)
        return Answer(said=body.text)

    hot = await _serving(nc, "hp-stop", "hp.stop", slow)
    client = HotPath(nc, "hp-client")
    in_hand = asyncio.create_task(client.request("hp.stop", codec.encode(Ask(text="a")), timeout=3))
    await asyncio.sleep(0.1)
    await hot.stop()
    assert codec.decode((await in_hand).data, Answer).said == "a"
    with pytest.raises(nats.errors.NoRespondersError):
        await client.request("hp.stop", codec.encode(Ask(text="b")), timeout=1)


async def test_published_subjects_are_counted_as_templates_never_per_call(nc: Any) -> None:
    hot = HotPath(nc, "hp-pub")
    got: list[Any] = []

    async def keep(msg: Any) -> None:
        got.append(msg)

    sub = await nc.subscribe("calls.*.reply", cb=keep)
    try:
        await hot.publish("calls.call_zz9911.reply", b"{}", {"Nats-Msg-Id": "m1"})
        await nc.flush()
        for _ in range(50):
            if got:
                break
            await asyncio.sleep(0.02)
        assert got and got[0].headers["Nats-Msg-Id"] == "m1"
        labels = {"app_name": "hp-pub", "broker": "nats", "destination": "calls.{call_id}.reply"}
        assert _sample("faststream_published_messages_total", **labels, status="success") == 1
        exposed = __import__("prometheus_client").generate_latest(REGISTRY).decode()
        assert "call_zz9911" not in exposed
    finally:
        await sub.unsubscribe()
