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
