"""Traces and bus metrics for every service: one trace per call, subjects as templates.

- **Traces** (OpenTelemetry): the W3C ``traceparent`` travels in the NATS headers of every hop
  (FastStream's ``NatsTelemetryMiddleware`` on each service's broker; the gateway injects it
  itself into what its nats-py connection publishes). Export is OFF by default and configured
  by the standard variables: ``OTEL_TRACES_EXPORTER`` (``otlp`` | ``console`` | ``none``),
  ``OTEL_EXPORTER_OTLP_ENDPOINT`` (setting it alone turns OTLP export on),
  ``OTEL_EXPORTER_OTLP_PROTOCOL`` (``grpc`` | ``http/protobuf``), ``OTEL_SERVICE_NAME``,
  ``OTEL_SDK_DISABLED`` (and whatever else the OTLP exporters read: ``OTEL_EXPORTER_OTLP_*``,
  ``OTEL_RESOURCE_ATTRIBUTES``). With tracing off no telemetry
  middleware is installed at all: nothing is paid per message.
- **Bus metrics** (Prometheus): FastStream's ``NatsPrometheusMiddleware`` on every broker,
  recording into :data:`REGISTRY` — the process-wide registry of
  :mod:`contracts.observability.metrics`, served on ``/metrics``.

Span names, span attributes and metric labels carry subject *templates*
(``calls.{call_id}.turn``, ``_INBOX``), never a concrete call id or inbox (a series per call
would grow without bound); the call id is one span attribute (``ec.call_id``), opaque by
construction. Nothing here records a payload, a phone number, a name or what was said.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from faststream.nats.opentelemetry.provider import NatsTelemetrySettingsProvider
from faststream.nats.prometheus.provider import NatsMetricsSettingsProvider
from faststream.opentelemetry.middleware import TelemetryMiddleware
from faststream.prometheus.middleware import PrometheusMiddleware
from nats.aio.msg import Msg
from opentelemetry import propagate, trace
from opentelemetry.semconv.trace import SpanAttributes

from contracts.observability.metrics import REGISTRY

if TYPE_CHECKING:
    from faststream.message import StreamMessage
    from faststream.response import PublishCommand
    from opentelemetry.context import Context
    from opentelemetry.sdk.trace import SpanProcessor, TracerProvider

__all__ = [
    "REGISTRY",
    "bus_middlewares",
    "call_span",
    "inject",
    "subject_template",
    "tracer_provider",
]

CALL_ID = "ec.call_id"
SERVICE = "ec.service"
_PUBLISH_NAME = "messaging.destination_publish.name"


def subject_template(subject: str) -> str:
    """``calls.c42.turn`` → ``calls.{call_id}.turn``; ``dlq.calls.c42.turn`` →
    ``dlq.calls.{call_id}.turn``; ``_INBOX.x.y`` → ``_INBOX``; anything else unchanged."""
    if subject.startswith("_INBOX"):
        return "_INBOX"
    if subject.startswith("calls."):
        _, _, rest = subject[6:].partition(".")
        return f"calls.{{call_id}}.{rest}" if rest else subject
    if subject.startswith("dlq.calls."):
        return "dlq." + subject_template(subject[4:])
    return subject


def call_id_of(subject: str) -> str | None:
    if subject.startswith("calls."):
        call_id, sep, _ = subject[6:].partition(".")
        return call_id if sep else None
    return None


# ---- tracing ----------------------------------------------------------------------------------

_providers: dict[str, TracerProvider | None] = {}  # None: tracing off (decided once)
_extra: list[SpanProcessor] = []


def tracing_enabled(env: Mapping[str, str] | None = None) -> bool:
    """Off unless ``OTEL_TRACES_EXPORTER`` names an exporter or an OTLP endpoint is set (an
    empty variable, as an env file leaves it, counts as unset)."""
    env = os.environ if env is None else env
    if env.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    exporter = env.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    if not exporter:
        return bool(env.get("OTEL_EXPORTER_OTLP_ENDPOINT", "").strip())
    return exporter != "none"


def _exporter(env: Mapping[str, str]) -> Any:
    name = (env.get("OTEL_TRACES_EXPORTER", "").strip() or "otlp").split(",")[0].lower()
    if name == "console":
        from opentelemetry.sdk.trace.export import ConsoleSpanExporter

        return ConsoleSpanExporter()
    # the exporters read OTEL_EXPORTER_OTLP_* themselves: an empty one must not count as set
    for key in [k for k, v in os.environ.items() if k.startswith("OTEL_") and not v.strip()]:
        del os.environ[key]
    protocol = env.get("OTEL_EXPORTER_OTLP_PROTOCOL", "") or "grpc"
    if name == "otlp_proto_http" or (name == "otlp" and protocol.startswith("http")):
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        return OTLPSpanExporter()  # endpoint, headers, timeout: from OTEL_EXPORTER_OTLP_*
    from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import (
        OTLPSpanExporter as GrpcSpanExporter,
    )

    return GrpcSpanExporter()


def tracer_provider(service: str) -> TracerProvider | None:
    """The service's tracer provider (one per service, so that the in-process stack's spans
    keep their service), or ``None`` when tracing is off."""
    if service in _providers:
        return _providers[service]
    enabled = tracing_enabled()
    if not enabled and not _extra:
        _providers[service] = None
        return None
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    name = os.environ.get("OTEL_SERVICE_NAME") or service
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: name, SERVICE: service}))
    if enabled:
        provider.add_span_processor(BatchSpanProcessor(_exporter(os.environ)))
    for processor in _extra:
        provider.add_span_processor(processor)
    _providers[service] = provider
    return provider


def tracer(service: str) -> trace.Tracer | None:
    provider = tracer_provider(service)
    return provider.get_tracer("equity-connect") if provider is not None else None


def export_to(processor: SpanProcessor) -> None:
    """Tests: send every service's spans (created from now on) to ``processor`` too."""
    _extra.append(processor)
    for service, provider in list(_providers.items()):
        if provider is None:
            del _providers[service]  # made again, with the processor, when next asked for
        else:
            provider.add_span_processor(processor)


def reset() -> None:
    """Tests: forget the providers (flushing them) and any extra processors."""
    for provider in _providers.values():
        if provider is not None:
            provider.shutdown()
    _providers.clear()
    _extra.clear()


def inject(headers: MutableMapping[str, str], context: Context | None = None) -> None:
    """Put the trace context (``traceparent``) into NATS headers."""
    propagate.inject(headers, context=context)


def extract(headers: Mapping[str, str] | None) -> Context | None:
    """The trace context in NATS headers; ``None`` when they carry none."""
    return propagate.extract(headers) if headers and "traceparent" in headers else None


@contextmanager
def call_span(
    service: str,
    name: str,
    *,
    parent: Context | None = None,
    kind: trace.SpanKind = trace.SpanKind.INTERNAL,
    attributes: Mapping[str, Any] | None = None,
) -> Iterator[trace.Span | None]:
    """A span of ``service``'s tracer (``None`` and no cost when tracing is off). ``name``
    must be a template (``calls.{call_id}.started publish``, ``tools.search_knowledge db``)."""
    t = tracer(service)
    if t is None:
        yield None
        return
    with t.start_as_current_span(
        name, context=parent, kind=kind, attributes=dict(attributes or {})
    ) as span:
        yield span


# ---- FastStream middlewares, subjects templated -----------------------------------------------


class _TemplatedTelemetry(NatsTelemetrySettingsProvider):
    __slots__ = ()

    def get_consume_attrs_from_message(self, msg: StreamMessage[Msg]) -> dict[str, Any]:
        subject = msg.raw_message.subject
        attrs = super().get_consume_attrs_from_message(msg)
        attrs[_PUBLISH_NAME] = subject_template(subject)
        call_id = call_id_of(subject)
        if call_id:
            attrs[CALL_ID] = call_id
        return attrs

    def get_consume_destination_name(self, msg: StreamMessage[Msg]) -> str:
        return subject_template(msg.raw_message.subject)

    def get_publish_attrs_from_cmd(self, cmd: PublishCommand) -> dict[str, Any]:
        attrs = super().get_publish_attrs_from_cmd(cmd)
        attrs[SpanAttributes.MESSAGING_DESTINATION_NAME] = subject_template(cmd.destination)
        call_id = call_id_of(cmd.destination)
        if call_id:
            attrs[CALL_ID] = call_id
        return attrs

    def get_publish_destination_name(self, cmd: PublishCommand) -> str:
        return subject_template(cmd.destination)


class _TemplatedMetrics(NatsMetricsSettingsProvider):
    __slots__ = ()

    def get_consume_attrs_from_message(self, msg: StreamMessage[Msg]) -> Any:
        return {
            "destination_name": subject_template(msg.raw_message.subject),
            "message_size": len(msg.body),
            "messages_count": 1,
        }

    def get_publish_destination_name_from_cmd(self, cmd: PublishCommand) -> str:
        return subject_template(cmd.destination)


def _telemetry_settings(msg: Any) -> Any:
    return _TemplatedTelemetry() if msg is None or isinstance(msg, Msg) else None


def _metrics_settings(msg: Any) -> Any:
    return _TemplatedMetrics() if msg is None or isinstance(msg, Msg) else None


def bus_middlewares(service: str) -> list[Any]:
    """The middlewares every service broker gets: Prometheus (always), OpenTelemetry (when
    tracing is on)."""
    middlewares: list[Any] = []
    provider = tracer_provider(service)
    if provider is not None:  # outermost: the span covers everything else
        middlewares.append(
            TelemetryMiddleware(
                settings_provider_factory=_telemetry_settings, tracer_provider=provider
            )
        )
    middlewares.append(
        PrometheusMiddleware(
            settings_provider_factory=_metrics_settings, registry=REGISTRY, app_name=service
        )
    )
    return middlewares
