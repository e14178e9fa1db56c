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
    #: Observability (issue 13); all optional, absent in older pongs. The port of the copy's
    #: ``/health/live``, ``/health/ready`` and ``/metrics`` (the one it took when
    #: ``EC_HTTP_PORT=0``).
    http_port: int | None = None
    #: Its consumers' lag, last sampled: messages pending + delivered and not yet acknowledged
    #: (None: the copy has no JetStream consumer), and how many of those were redelivered.
    consumer_lag: int | None = None
    redelivered: int | None = None
    #: Dead letters this copy published since it started.
    dead_letters: int = 0
    #: The newest warning or error it logged (redacted, one line) and when.
    last_error: str | None = None
    last_error_at: UtcDateTime | None = None
