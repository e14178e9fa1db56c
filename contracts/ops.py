"""Operations messages: presence of running service copies (``ops.ping``)."""

from __future__ import annotations

from contracts.base import Message, UtcDateTime


class PingInstances(Message, kw_only=True, frozen=True):
    """Ask every running copy (of one service, on ``ops.ping.<service>``) to answer."""


class InstancePong(Message, kw_only=True, frozen=True):
    service: str
    instance_id: str
    pid: int
    started_at: UtcDateTime
    in_flight: int = 0
    handled: int = 0
    #: This copy can take new work now. Bus services are ready while they answer; the
    #: gateway is ready while its LiveKit worker is registered with the LiveKit server (False
    #: while it starts, reconnects or drains). Absent in older pongs: ready.
    ready: bool = True
