"""Which copies of which services are running: everyone answers ``ops.ping``."""

from __future__ import annotations

import asyncio
import os

from nats.aio.msg import Msg

from contracts import codec
from contracts.access import Identity
from contracts.bus import connect_once
from contracts.ops import InstancePong, PingInstances
from contracts.subjects import OPS_PING, ops_ping


async def instances(service: str | None = None, wait: float = 0.5) -> list[InstancePong]:
    """Collect the pongs that arrive within ``wait`` seconds; :class:`BusUnavailable` within
    about a second when NATS is down."""
    nc = await connect_once(os.environ["NATS_URL"], "ops", identity=Identity.ENGINEER)  # read-only
    found: list[InstancePong] = []
    try:
        inbox = nc.new_inbox()

        async def collect(msg: Msg) -> None:
            try:
                found.append(codec.decode(msg.data, InstancePong))
            except codec.ContractError:
                pass

        sub = await nc.subscribe(inbox, cb=collect)
        subject = ops_ping(service) if service else OPS_PING
        await nc.publish(subject, codec.encode(PingInstances()), reply=inbox)
        await asyncio.sleep(wait)
        await sub.unsubscribe()
    finally:
        await nc.close()
    return found
