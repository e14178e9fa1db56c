"""Least privilege on the bus, against a real nats-server running the shipped
``deploy/nats/auth.conf``: every operation an identity needs works, every other is denied."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import nats
import pytest
from nats.aio.client import Client as NATS
from nats.aio.msg import Msg

from contracts.access import Identity
from contracts.bus import (
    BusUnavailable,
    connect,
    connect_once,
    ensure_streams,
    settle_subscriptions,
)
from services.ops.infra import NatsServer

CALL = "call_perm01"
SETTLE = 1.0  # how long a message or a violation report may take on loopback


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server of its own with the shipped permissions, even when NATS_URL names another."""
    server = NatsServer(tmp_path_factory.mktemp("nats-perms"))
    port = server.start()
    # the same passwords as every other server of this run (adopted when already set)
    os.environ.update(server.credentials())
    try:
        yield f"nats://127.0.0.1:{port}"
    finally:
        server.stop()


class Client:
    """A connection as one identity that records what the server said it may not do."""

    def __init__(self, identity: Identity) -> None:
        self.identity = identity
        self.errors: list[str] = []
        self.nc: NATS

    async def open(self, url: str) -> Client:
        async def on_error(err: Exception) -> None:
            self.errors.append(str(err))

        self.nc = await connect(url, f"perm-{self.identity}", self.identity, error_cb=on_error)
        return self

    async def violation(self, kind: str, subject: str) -> bool:
        """The server reported a ``Publish`` / ``Subscription`` violation for ``subject``."""
        wanted = f'permissions violation for {kind} to "{subject}"'.lower()
        for _ in range(int(SETTLE / 0.05)):
            if any(wanted in e.lower() for e in self.errors):
                return True
            await asyncio.sleep(0.05)
        return False


@pytest.fixture
async def as_() -> AsyncIterator[object]:
    opened: list[Client] = []

    async def open_as(url: str, identity: Identity) -> Client:
        client = await Client(identity).open(url)
        opened.append(client)
        return client

    yield open_as
    for client in opened:
        await client.nc.close()


async def can_publish(url: str, client: Client, subject: str) -> bool:
    """``client`` publishes on ``subject``; True when the admin receives it."""
    admin = await connect(url, "perm-admin", Identity.ADMIN)
    try:
        got: asyncio.Queue[Msg] = asyncio.Queue()
        await admin.subscribe(subject, cb=got.put)
        await settle_subscriptions(admin)
        await client.nc.publish(subject, b"{}")
        await client.nc.flush()
        try:
            await asyncio.wait_for(got.get(), SETTLE)
            return True
        except TimeoutError:
            return False
    finally:
        await admin.close()


async def can_subscribe(url: str, client: Client, subject: str, sample: str) -> bool:
    """``client`` subscribes to ``subject``; True when it receives what the admin publishes on
    ``sample`` (a subject the pattern matches)."""
    got: asyncio.Queue[Msg] = asyncio.Queue()
    sub = await client.nc.subscribe(subject, cb=got.put)
    await settle_subscriptions(client.nc)
    admin = await connect(url, "perm-admin", Identity.ADMIN)
    try:
        await asyncio.sleep(0.05)
        await admin.publish(sample, b"{}")
        await admin.flush()
        try:
            await asyncio.wait_for(got.get(), SETTLE)
            return True
        except TimeoutError:
            return False
    finally:
        await admin.close()
        await sub.unsubscribe()


def c(event: str) -> str:
    return f"calls.{CALL}.{event}"


# (identity, subject) each identity must be able to publish, and some it must not
PUBLISH_ALLOWED = [
    *[
        (Identity.GATEWAY, c(e))
        for e in ("started", "transcript", "turn", "interrupted", "ended", "recording", "livekit")
    ],
    (Identity.GATEWAY, "store.template"),
    (Identity.GATEWAY, "$JS.API.STREAM.MSG.GET.CALLS"),  # the room_finished webhook
    *[(Identity.DIALOGUE, c(e)) for e in ("reply", "state", "outcome")],
    (Identity.DIALOGUE, "tools.lookup_lead"),
    (Identity.DIALOGUE, "store.caller_context"),
    (Identity.DIALOGUE, f"dlq.{c('turn')}"),
    (Identity.TOOLS, c("tool")),
    (Identity.PERSISTENCE, f"dlq.{c('transcript')}"),
    (Identity.PERSISTENCE, c("analyzed")),
    (Identity.PERSISTENCE, "$JS.API.CONSUMER.MSG.NEXT.CALLS.persistence-analysis"),
    (Identity.ENGINEER, "ops.ping"),
    (Identity.ADMIN, c("turn")),
    (Identity.ADMIN, "store.transcript"),
]
PUBLISH_DENIED = [
    (Identity.GATEWAY, c("reply")),
    (Identity.GATEWAY, c("outcome")),
    (Identity.GATEWAY, "tools.lookup_lead"),
    (Identity.GATEWAY, "store.caller_context"),
    (Identity.GATEWAY, "store.transcript"),
    *[
        (Identity.DIALOGUE, c(e))
        for e in ("started", "turn", "transcript", "ended", "tool", "analyzed", "recording")
    ],
    (Identity.DIALOGUE, "store.transcript"),
    (Identity.DIALOGUE, "$JS.API.STREAM.DELETE.CALLS"),
    (Identity.DIALOGUE, "$JS.API.CONSUMER.DURABLE.CREATE.CALLS.persistence-writer"),
    *[(Identity.TOOLS, c(e)) for e in ("started", "turn", "reply", "outcome", "analyzed")],
    (Identity.TOOLS, "tools.book_appointment"),
    (Identity.TOOLS, "store.caller_context"),
    *[
        (Identity.PERSISTENCE, c(e))
        for e in ("started", "turn", "reply", "ended", "outcome", "recording", "livekit")
    ],
    (Identity.PERSISTENCE, "tools.lookup_lead"),
    (Identity.PERSISTENCE, "$JS.API.STREAM.PURGE.CALLS"),
    *[(Identity.ENGINEER, c(e)) for e in ("started", "turn", "reply", "tool")],
    (Identity.ENGINEER, "tools.lookup_lead"),
    (Identity.ENGINEER, "store.caller_context"),
    (Identity.ENGINEER, "store.transcript"),
    (Identity.ENGINEER, f"dlq.{c('turn')}"),
    (Identity.ENGINEER, "$JS.API.STREAM.DELETE.CALLS"),
    (Identity.ENGINEER, "$JS.API.CONSUMER.DURABLE.CREATE.CALLS.mine"),
    (Identity.ENGINEER, "$JS.API.CONSUMER.MSG.NEXT.CALLS.dialogue"),
    (Identity.ENGINEER, "$KV.dialogue_calls.call_perm01"),
]
# (identity, pattern, a subject it matches)
SUBSCRIBE_ALLOWED = [
    *[(Identity.GATEWAY, f"calls.*.{e}", c(e)) for e in ("reply", "outcome", "tool")],
    *[(Identity.DIALOGUE, f"calls.*.{e}", c(e)) for e in ("interrupted", "ended")],
    (Identity.TOOLS, "tools.>", "tools.lookup_lead"),
    (Identity.PERSISTENCE, "store.>", "store.transcript"),
    (Identity.ENGINEER, "calls.>", c("transcript")),
    (Identity.ENGINEER, "dlq.>", f"dlq.{c('turn')}"),
    *[(i, f"{i.inbox_prefix}.>", f"{i.inbox_prefix}.x") for i in Identity],
    (Identity.ADMIN, "calls.>", c("transcript")),
]
SUBSCRIBE_DENIED = [
    (Identity.GATEWAY, "calls.>"),
    (Identity.GATEWAY, "calls.*.transcript"),
    (Identity.GATEWAY, "tools.>"),
    (Identity.GATEWAY, "_INBOX_dialogue.>"),
    (Identity.DIALOGUE, "calls.*.transcript"),
    (Identity.DIALOGUE, "calls.>"),
    (Identity.DIALOGUE, "store.>"),
    (Identity.DIALOGUE, "_INBOX_tools.>"),
    (Identity.TOOLS, "calls.>"),
    (Identity.TOOLS, "store.>"),
    (Identity.TOOLS, "_INBOX.>"),
    (Identity.PERSISTENCE, "calls.>"),
    (Identity.PERSISTENCE, "tools.>"),
    (Identity.ENGINEER, "tools.>"),
    (Identity.ENGINEER, "store.>"),
    (Identity.ENGINEER, "_INBOX_admin.>"),
    (Identity.ENGINEER, "$KV.dialogue_calls.>"),
]


def _id(value: object) -> str:
    return str(value)


@pytest.mark.parametrize(("identity", "subject"), PUBLISH_ALLOWED, ids=_id)
async def test_an_identity_may_publish_what_its_service_sends(
    shipped: str, as_: object, identity: Identity, subject: str
) -> None:
    client = await as_(shipped, identity)  # type: ignore[operator]
    assert await can_publish(shipped, client, subject)
    assert not client.errors


@pytest.mark.parametrize(("identity", "subject"), PUBLISH_DENIED, ids=_id)
async def test_an_identity_may_not_publish_anything_else(
    shipped: str, as_: object, identity: Identity, subject: str
) -> None:
    client = await as_(shipped, identity)  # type: ignore[operator]
    assert not await can_publish(shipped, client, subject)
    assert await client.violation("publish", subject)


@pytest.mark.parametrize(("identity", "pattern", "sample"), SUBSCRIBE_ALLOWED, ids=_id)
async def test_an_identity_may_subscribe_to_what_its_service_reads(
    shipped: str, as_: object, identity: Identity, pattern: str, sample: str
) -> None:
    client = await as_(shipped, identity)  # type: ignore[operator]
    assert await can_subscribe(shipped, client, pattern, sample)
    assert not client.errors


@pytest.mark.parametrize(("identity", "pattern"), SUBSCRIBE_DENIED, ids=_id)
async def test_an_identity_may_not_read_anything_else(
    shipped: str, as_: object, identity: Identity, pattern: str
) -> None:
    client = await as_(shipped, identity)  # type: ignore[operator]
    sample = pattern.replace(">", "x").replace("*", CALL)
    assert not await can_subscribe(shipped, client, pattern, sample)
    assert await client.violation("subscription", pattern)


async def test_a_client_without_credentials_is_refused(shipped: str) -> None:
    with pytest.raises(Exception, match=r"(?i)authorization"):
        await nats.connect(shipped, allow_reconnect=False, max_reconnect_attempts=1)


async def test_a_wrong_password_is_refused_with_one_clear_line(shipped: str) -> None:
    with pytest.raises(BusUnavailable, match="refused the tools identity"):
        await connect_once(shipped, "tools", user="tools", password="not-its-password")


async def test_a_service_answers_a_request_only_from_those_allowed_to_ask(
    shipped: str, as_: object
) -> None:
    tools = await as_(shipped, Identity.TOOLS)  # type: ignore[operator]

    async def answer(msg: Msg) -> None:
        await msg.respond(b"answered")

    await tools.nc.subscribe("tools.lookup_lead", queue="tools.lookup_lead", cb=answer)
    await settle_subscriptions(tools.nc)
    dialogue = await as_(shipped, Identity.DIALOGUE)  # type: ignore[operator]
    reply = await dialogue.nc.request("tools.lookup_lead", b"{}", timeout=2)
    assert reply.data == b"answered"  # the reply reached the dialogue's own inbox
    assert not tools.errors
    engineer = await as_(shipped, Identity.ENGINEER)  # type: ignore[operator]
    with pytest.raises(Exception):  # noqa: B017 - no responder is reached: timeout
        await engineer.nc.request("tools.lookup_lead", b"{}", timeout=0.5)
    assert await engineer.violation("publish", "tools.lookup_lead")


async def test_the_engineer_can_tap_the_stream_but_not_write_to_it(
    shipped: str, as_: object
) -> None:
    admin = await connect(shipped, "perm-admin", Identity.ADMIN)
    try:
        await ensure_streams(admin.jetstream())
        gateway = await as_(shipped, Identity.GATEWAY)  # type: ignore[operator]
        ack = await gateway.nc.jetstream().publish(c("turn"), b'{"x": 1}')
        assert ack.stream == "CALLS"
        engineer = await as_(shipped, Identity.ENGINEER)  # type: ignore[operator]
        js = engineer.nc.jetstream()
        sub = await js.subscribe(c("turn"), ordered_consumer=True)  # an ephemeral consumer
        msg = await sub.next_msg(timeout=2)
        assert msg.data == b'{"x": 1}'
        await sub.unsubscribe()
        with pytest.raises(Exception):  # noqa: B017 - denied: no answer from the JS API
            await js.publish(c("turn"), b"{}", timeout=0.5)
        assert await engineer.violation("publish", c("turn"))
        with pytest.raises(Exception):  # noqa: B017
            await js.delete_stream("CALLS", timeout=0.5)  # type: ignore[call-arg]
        assert (await admin.jetstream().stream_info("CALLS")).state.messages >= 1
    finally:
        await admin.close()


def test_the_shipped_config_is_the_one_the_local_server_runs(tmp_path: Path) -> None:
    from services.ops.infra import AUTH_CONF

    server = NatsServer(tmp_path / "nats")
    server.start()
    try:
        assert (tmp_path / "nats" / "auth.conf").read_text() == AUTH_CONF.read_text()
        assert (tmp_path / "nats" / "credentials.env").stat().st_mode & 0o077 == 0
    finally:
        server.stop()


def test_generated_passwords_are_never_misread_by_the_server_config() -> None:
    from contracts.access import PASSWORD_SHAPE, generate_passwords

    for _ in range(200):
        assert all(PASSWORD_SHAPE.fullmatch(v) for v in generate_passwords().values())


def test_a_password_the_server_would_misread_is_refused_with_one_clear_line(
    tmp_path: Path,
) -> None:
    """nats-server parses a value from the environment as config: ``2026-11-30…`` is a date."""
    from services.ops.infra import InfraError

    server = NatsServer(tmp_path / "nats")
    good = server.credentials()
    bad = {**good, Identity.TOOLS.password_env: "2026-11-30T10abc"}
    server.credentials_file.write_text("".join(f"{k}={v}\n" for k, v in bad.items()))
    with pytest.raises(InfraError, match="EC_NATS_PASSWORD_TOOLS: a NATS password must be"):
        server.start()
