"""Connecting to NATS, declaring the JetStream streams, publishing contracts.

Streams are declared here, in code, and applied idempotently at start-up by whoever starts
first (``equity-connect infra up`` and every service); nobody creates them by hand.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import nats
from nats.aio.client import Client as NATS
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import PubAck, StorageType, StreamConfig
from nats.js.errors import NotFoundError

from contracts.access import Identity, connect_options, identity_for
from contracts.base import Message
from contracts.codec import PayloadTooLarge, encode
from contracts.deadletter import INLINE_PAYLOAD_MAX, DeadLetter, DeadLetterKind
from contracts.observability.metrics import count_dead_letter
from contracts.settings import Env
from contracts.subjects import (
    ALL_CALLS,
    ALL_DEAD_LETTERS,
    CALLS_STREAM,
    DLQ_STREAM,
    Header,
    dlq_subject,
)

log = logging.getLogger(__name__)

DAY = 24 * 3600


@dataclass(frozen=True)
class StreamSpec:
    name: str
    subjects: list[str]
    description: str
    max_age_s: float
    duplicate_window_s: float = 120.0
    replicas: int = 1
    extra: dict[str, Any] = field(default_factory=dict)

    def config(self) -> StreamConfig:
        return StreamConfig(
            name=self.name,
            subjects=self.subjects,
            description=self.description,
            storage=StorageType.FILE,
            max_age=self.max_age_s,
            duplicate_window=self.duplicate_window_s,
            num_replicas=self.replicas,
            **self.extra,
        )


def stream_specs(env: dict[str, str] | None = None) -> list[StreamSpec]:
    """The streams, with retention and replicas from the environment (see .env.example)."""
    e = Env(os.environ if env is None else env)
    replicas = e.integer("EC_STREAM_REPLICAS", 1, low=1, high=5)
    return [
        StreamSpec(
            name=CALLS_STREAM,
            subjects=[ALL_CALLS],
            description="Everything that happens in every call (calls.<call_id>.<event>).",
            max_age_s=e.number("EC_CALLS_RETENTION_DAYS", 7, low=0.001) * DAY,
            replicas=replicas,
        ),
        StreamSpec(
            name=DLQ_STREAM,
            subjects=[ALL_DEAD_LETTERS],
            description="Dead letters: dlq.<original subject>, with the reason.",
            max_age_s=e.number("EC_DLQ_RETENTION_DAYS", 30, low=0.001) * DAY,
            replicas=replicas,
        ),
    ]


async def connect(url: str, name: str, identity: Identity | None = None, **options: Any) -> NATS:
    """A connection that never gives up reconnecting and notices a dead link quickly, as
    ``identity`` (default: the one ``name`` implies, :func:`contracts.access.identity_for`)."""

    async def on_error(err: Exception) -> None:
        log.warning("nats error (%s): %s", name, err)

    defaults: dict[str, Any] = {
        "name": name,
        "max_reconnect_attempts": -1,
        "reconnect_time_wait": 0.5,
        "ping_interval": 15,
        "max_outstanding_pings": 2,
        "error_cb": on_error,
    }
    defaults.update(connect_options(identity or identity_for(name)))
    defaults.update(options)
    return await nats.connect(url, **defaults)


class BusUnavailable(ConnectionError):
    """NATS could not be reached; ``str()`` is one line an operator can act on."""


async def connect_once(
    url: str, name: str, timeout: float = 1.0, identity: Identity | None = None, **options: Any
) -> NATS:
    """For one-shot commands: one attempt that fails within about ``timeout`` seconds with
    :class:`BusUnavailable`, and no reconnecting afterwards (nats-py retries for ever when
    ``max_reconnect_attempts`` is 0 or negative)."""

    async def quiet(err: Exception) -> None:
        log.debug("nats error (%s): %s", name, err)

    opts: dict[str, Any] = {"name": name, "allow_reconnect": False, "connect_timeout": timeout,
                            "max_reconnect_attempts": 1, "reconnect_time_wait": 0.1,
                            "error_cb": quiet}  # fmt: skip
    who = identity or identity_for(name)
    opts.update(connect_options(who))
    opts.update(options)
    try:
        return await asyncio.wait_for(nats.connect(url, **opts), timeout + 0.5)
    except Exception as err:
        if "authorization" in str(err).lower():
            raise BusUnavailable(
                f"NATS at {_safe(url)} refused the {who.value} identity: set "
                f"{who.password_env} to its password (deploy/nats/auth.conf)"
            ) from err
        raise BusUnavailable(
            f"NATS is not reachable at {_safe(url)} "
            "(start it with `equity-connect infra up`, or fix NATS_URL)"
        ) from err


async def connect_resilient(
    url: str, name: str, timeout: float = 1.0, identity: Identity | None = None, **options: Any
) -> NATS:
    """A connection that fails fast when NATS is down now (:class:`BusUnavailable`), and once
    connected rides out a NATS restart like a service does (reconnects for ever)."""
    who = identity or identity_for(name)
    probe = await connect_once(url, f"{name}-probe", timeout, identity=who)
    await probe.close()
    try:
        return await asyncio.wait_for(connect(url, name, who, **options), timeout + 4.0)
    except Exception as err:
        raise BusUnavailable(f"NATS at {_safe(url)} went away while connecting") from err


async def settle_subscriptions(nc: NATS, timeout: int = 5) -> None:
    """Return once subscriptions made on ``nc`` are reachable from other connections.

    One flush (a PING/PONG round trip) proves the server read the SUBs, but not that another
    connection's next message already sees them: measured on loopback against nats-server
    2.x, a request sent from a second connection right after ``subscribe(); flush()`` got
    "no responders" 13 times in 2,000 (after a flush right at connect too: 10 in 2,000).
    A second round trip brought it to 0 in 4,000 (``tests/test_bus.py`` keeps a smaller
    version of that measurement)."""
    await nc.flush(timeout=timeout)
    await nc.flush(timeout=timeout)


def _safe(url: str) -> str:
    """A URL without its credentials, for messages."""
    scheme, sep, rest = url.partition("://")
    return f"{scheme}{sep}{rest.rsplit('@', 1)[-1]}" if sep else url.rsplit("@", 1)[-1]


#: how long a starting service waits for the streams the admin declares
STREAMS_WAIT_S = 30.0


async def require_streams(
    js: JetStreamContext, specs: list[StreamSpec] | None = None, wait: float = STREAMS_WAIT_S
) -> None:
    """Wait until every stream exists. Services may not create or change streams (least
    privilege): ``equity-connect infra up`` / ``equity-connect streams`` do, as the admin."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    for spec in specs or stream_specs():
        told = False
        while True:
            try:
                await js.stream_info(spec.name)
                break
            except NotFoundError:
                if loop.time() >= deadline:
                    raise BusUnavailable(
                        f"stream {spec.name} does not exist: run `equity-connect streams` "
                        "(or `infra up`) as the admin"
                    ) from None
                if not told:
                    log.warning("waiting for stream %s (declared by the admin)", spec.name)
                    told = True
                await asyncio.sleep(0.5)


async def ensure_streams(js: JetStreamContext, specs: list[StreamSpec] | None = None) -> None:
    """Create or update every stream (the admin's job); running it twice changes nothing."""
    for spec in specs or stream_specs():
        config = spec.config()
        try:
            await js.stream_info(spec.name)
        except NotFoundError:
            await js.add_stream(config=config)
            log.info("stream %s created", spec.name)
        else:
            await js.update_stream(config=config)


async def publish_event(
    js: JetStreamContext,
    subject: str,
    event: Message,
    *,
    ack_timeout: float = 5.0,
    headers: Mapping[str, str] | None = None,
) -> PubAck:
    """Publish to a stream with ``Nats-Msg-Id`` = ``event_id``: a repeat is de-duplicated.
    ``headers``: more headers (e.g. the trace context)."""
    all_headers = {**(headers or {}), Header.MSG_ID: event.event_id,
                   Header.CONTRACT: type(event).__name__}  # fmt: skip
    return await js.publish(subject, encode(event), timeout=ack_timeout, headers=all_headers)


def error_kind(err: Exception) -> DeadLetterKind:
    """The dead-letter kind of a decoding error (:func:`contracts.codec.decode`'s)."""
    if isinstance(err, PayloadTooLarge):
        return DeadLetterKind.OVERSIZED
    return DeadLetterKind.DECODE if "not valid JSON" in str(err) else DeadLetterKind.VALIDATION


def dead_letter_for(msg: Msg, consumer: str, kind: DeadLetterKind, reason: str) -> DeadLetter:
    """The dead letter for ``msg``: reason, who gave up, where the original is, its size and
    hash, and the payload itself when it is small (UTF-8, else base64; a larger one is only
    referenced). Its id comes from the stream position, so dead-lettering twice stores it
    once."""
    data = msg.data or b""
    payload, encoding = "", "reference"
    if len(data) <= INLINE_PAYLOAD_MAX:
        try:
            payload, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            payload, encoding = base64.b64encode(data).decode("ascii"), "base64"
    stream: str | None = None
    seq: int | None = None
    try:
        stream, seq = msg.metadata.stream, msg.metadata.sequence.stream
        where = f"{stream}-{seq}"
    except Exception:
        where = hashlib.sha256(msg.subject.encode() + data).hexdigest()[:32]
    return DeadLetter(
        event_id=f"dlq-{consumer}-{where}"[:128],
        original_subject=msg.subject,
        consumer=consumer,
        kind=kind,
        reason=reason[:1000],
        payload=payload,
        payload_encoding=encoding,
        original_msg_id=(msg.headers or {}).get(Header.MSG_ID),
        original_stream=stream,
        original_seq=seq,
        payload_bytes=len(data),
        payload_sha256=hashlib.sha256(data).hexdigest(),
    )


async def dead_letter(
    js: JetStreamContext, msg: Msg, consumer: str, kind: DeadLetterKind, reason: str
) -> None:
    """Publish ``msg`` to ``dlq.<subject>`` with the reason (acknowledged by JetStream), then
    terminate it so it is never redelivered. Shared by every consumer."""
    letter = dead_letter_for(msg, consumer, kind, reason)
    headers = {
        Header.MSG_ID: letter.event_id,
        Header.CONTRACT: "DeadLetter",
        Header.DLQ_REASON: reason[:200].replace("\n", " "),
        Header.DLQ_CONSUMER: consumer,
        Header.DLQ_ORIGINAL_SUBJECT: msg.subject,
    }
    await js.publish(dlq_subject(msg.subject), encode(letter), headers=headers)
    log.warning("dead letter on %s: %s", dlq_subject(msg.subject), kind.value)
    count_dead_letter(consumer, kind.value)
    await msg.term()
