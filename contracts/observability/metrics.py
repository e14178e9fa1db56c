"""Prometheus metrics: ONE process-wide registry, and every metric the services record.

The registry is prometheus_client's **default registry** (``REGISTRY`` below is the very same
object as ``prometheus_client.REGISTRY``). Why the default one:

- it already carries the process/platform/GC collectors (CPU, memory, open files);
- the LiveKit worker registers its own ``lk_agents_*`` metrics there and its optional
  ``prometheus_port`` endpoint serves the default registry, so the gateway's series and ours
  show up together wherever either endpoint is scraped;
- FastStream's Prometheus middleware takes ``registry=REGISTRY`` (import it from here), so its
  ``faststream_*`` series are served by the same ``/metrics`` as ours.

Every service copy serves this registry on ``/metrics`` (``contracts.observability.http``).
Several services in one process (the in-process test stack) share it; deployed, one process is
one copy of one service, and Prometheus adds ``job``/``instance`` labels when it scrapes.

Rules: a label never carries a call id, a phone number or a name — only bounded values (a tool
name, a consumer name, a dead-letter kind, an outcome, a model name from the templates, a
templated subject like ``calls.{call_id}.turn``). Recording is a counter/histogram update: a
few hundred nanoseconds per message.
"""

from __future__ import annotations

import time
from collections import Counter as _Tally

import prometheus_client
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

#: The process-wide registry (prometheus_client's default one; see the module docstring).
REGISTRY: CollectorRegistry = prometheus_client.REGISTRY

#: seconds: a reply's first chunk is expected in tens to hundreds of milliseconds
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.5, 5.0, 10.0)

# ---- dialogue ---------------------------------------------------------------------------------

TURN_LATENCY = Histogram(
    "ec_turn_latency_seconds",
    "Dialogue: a caller turn (or call start) received to its first reply chunk published.",
    ["kind"],  # turn | greeting
    buckets=LATENCY_BUCKETS,
    registry=REGISTRY,
)
ACTIVE_CALLS = Gauge(
    "ec_active_calls",
    "Dialogue: calls started and not yet ended, as counted by this copy (started and ended "
    "each go to one copy of the shared consumer: sum over copies).",
    registry=REGISTRY,
)
CALL_OUTCOMES = Counter(
    "ec_call_outcomes",
    "Dialogue: outcomes recorded, by outcome.",
    ["outcome"],
    registry=REGISTRY,
)
LLM_TOKENS = Counter(
    "ec_llm_tokens",
    "Dialogue: LLM tokens used, as reported by the provider (prompt | completion).",
    ["model", "kind"],
    registry=REGISTRY,
)
LLM_FAILED_ATTEMPTS = Counter(
    "ec_llm_failed_attempts",
    "Dialogue: LLM attempts that failed (no first token in time, an API error); the next "
    "attempt uses the fallback model.",
    ["model"],
    registry=REGISTRY,
)
LLM_OFFLINE_FALLBACKS = Counter(
    "ec_llm_offline_fallbacks",
    "Dialogue: turns the LLM could not answer, answered by the offline policy instead.",
    registry=REGISTRY,
)

# ---- tools ------------------------------------------------------------------------------------

TOOL_LATENCY = Histogram(
    "ec_tool_latency_seconds",
    "Tools: request received to reply sent, per tool and result (ok | the error code).",
    ["tool", "result"],
    buckets=LATENCY_BUCKETS,
    registry=REGISTRY,
)
TOOL_ERRORS = Counter(
    "ec_tool_errors",
    "Tools: requests answered with an error, per tool and error code.",
    ["tool", "code"],
    registry=REGISTRY,
)

# ---- every consumer ---------------------------------------------------------------------------

DEAD_LETTERS = Counter(
    "ec_dead_letters",
    "Messages dead-lettered (dlq.<subject>), per consumer and kind.",
    ["consumer", "kind"],
    registry=REGISTRY,
)
REDELIVERIES = Counter(
    "ec_redeliveries",
    "Messages this copy received again after an earlier delivery was not acknowledged.",
    ["consumer"],
    registry=REGISTRY,
)
CONSUMER_RESTARTS = Counter(
    "ec_consumer_restarts",
    "Consumer loops that died of an unexpected error and were restarted, per loop.",
    ["loop"],
    registry=REGISTRY,
)
WEBHOOK_DELIVERIES = Counter(
    "ec_webhook_deliveries",
    "Webhook delivery attempts by result: delivered, retry (scheduled again), dead.",
    ["result"],
    registry=REGISTRY,
)
CONSUMER_PENDING = Gauge(
    "ec_consumer_pending_messages",
    "JetStream consumer: messages not yet delivered (num_pending), sampled every few seconds "
    "by each copy (take max by consumer).",
    ["consumer"],
    registry=REGISTRY,
)
CONSUMER_ACK_PENDING = Gauge(
    "ec_consumer_ack_pending_messages",
    "JetStream consumer: delivered, not yet acknowledged (num_ack_pending).",
    ["consumer"],
    registry=REGISTRY,
)
CONSUMER_REDELIVERED = Gauge(
    "ec_consumer_redelivered_messages",
    "JetStream consumer: messages delivered more than once and not yet acknowledged "
    "(num_redelivered).",
    ["consumer"],
    registry=REGISTRY,
)
CONSUMER_LAG = Gauge(
    "ec_consumer_lag_messages",
    "JetStream consumer lag: num_pending + num_ack_pending (what KEDA scales on).",
    ["consumer"],
    registry=REGISTRY,
)


def observe_tool(tool: str, error_code: str | None, received: float) -> None:
    """One tool request answered: ``received`` is its ``time.monotonic()`` arrival."""
    result = error_code or "ok"
    TOOL_LATENCY.labels(tool, result).observe(max(time.monotonic() - received, 0.0))
    if error_code:
        TOOL_ERRORS.labels(tool, error_code).inc()


#: consumer loops restarted in this process, by loop
restarts: _Tally[str] = _Tally()


def count_restart(loop: str) -> None:
    """A consumer loop died and was restarted (shown by ``status`` and in the metrics)."""
    CONSUMER_RESTARTS.labels(loop).inc()
    restarts[loop] += 1


#: dead letters per consumer in this process (``status`` shows a copy's count)
_dead_letters: _Tally[str] = _Tally()


def count_dead_letter(consumer: str, kind: str) -> None:
    """One dead letter published by ``consumer`` (called where it is published)."""
    DEAD_LETTERS.labels(consumer, kind).inc()
    _dead_letters[consumer] += 1


def dead_letters(consumers: list[str] | None = None) -> int:
    """Dead letters published in this process (by ``consumers``, else by any)."""
    if consumers is None:
        return sum(_dead_letters.values())
    return sum(_dead_letters[c] for c in consumers)
