"""Each service as a FastStream application (``faststream run services.<service>.app:app``),
started and stopped the way FastStream does it, on the real nats-server and Postgres."""

from __future__ import annotations

import functools
from typing import Any

import pytest

from contracts import codec
from contracts.app import service_app
from contracts.ops import InstancePong
from contracts.store import GetTemplate, TemplateReply
from contracts.subjects import StoreQuery, ops_ping, store_subject
from services.ops.migrate import service_url
from services.persistence.main import _start
from services.persistence.settings import Settings

pytestmark = pytest.mark.slow


async def test_a_service_runs_as_a_faststream_app(
    nc: Any, nats_url: str, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EC_HTTP_PORT", "0")  # any free port for /health and /metrics
    settings = Settings(nats_url=nats_url, database_url=service_url(db, "persistence"))
    app = service_app("persistence", nats_url, functools.partial(_start, settings=settings))
    await app.start()  # what `faststream run` does: startup hooks, then the broker
    try:
        raw = await nc.request(ops_ping("persistence"), b"{}", 2)
        pong = codec.decode(raw.data, InstancePong)
        assert pong.service == "persistence" and pong.ready
        reply = await nc.request(
            store_subject(StoreQuery.TEMPLATE), codec.encode(GetTemplate(dialled_number=None)), 2
        )
        codec.decode(reply.data, TemplateReply)  # type: ignore[arg-type]  # answered
        # the broker's own connection, made by contracts.bus.connect: named for the service
        assert app.broker is not None and app.broker._connection.options["name"] == "persistence"
    finally:
        await app.stop()  # the shutdown hook (the service stops), then the broker drains
