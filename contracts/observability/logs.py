"""Logs: one JSON object per line with the call id and the trace id, and PII redacted.

- **Context.** :func:`bind_call` puts the call id of the message being handled in a context
  variable (a task started from there inherits it); every record then carries ``call_id``, and
  ``trace_id``/``span_id`` of OpenTelemetry's current span when there is one. Call it where a
  call's message is handled (a consumer's handler, a tool request).
- **Redaction.** :class:`RedactFilter` rewrites every record's message *and* args (and the
  traceback text) before any handler formats it: phone numbers in any format, e-mail
  addresses, "First Last" after name-ish keys (``name=``, ``"first_name": ``, "my name is"),
  street addresses, ZIP codes, ages and money amounts. It sits on the handlers
  :func:`configure` installs, so it applies to every logger's records, ours and libraries'.
- **Format.** ``EC_LOG_FORMAT=json`` (the default under ``equity-connect serve``) or ``text``;
  the interactive commands keep human text.
- **Last problem.** The newest WARNING-or-worse record (redacted, one line) is kept for the
  copy's presence pong, so ``equity-connect status`` shows each copy's last error.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TextIO

try:  # the API package is installed with the SDK; a trace id is optional
    from opentelemetry import trace as _otel_trace
except ImportError:  # pragma: no cover
    _otel_trace = None  # type: ignore[assignment]

#: the call whose message this task is handling (inherited by tasks started from it)
CALL_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar("ec_call_id", default=None)


def bind_call(call_id: str | None) -> contextvars.Token[str | None]:
    """From here on (in this task and the tasks it starts) log records carry ``call_id``."""
    return CALL_ID.set(call_id)


@contextmanager
def call_context(call_id: str | None) -> Iterator[None]:
    """``with call_context(call_id): ...`` — :func:`bind_call` undone at the end."""
    token = CALL_ID.set(call_id)
    try:
        yield
    finally:
        CALL_ID.reset(token)


def trace_ids() -> tuple[str | None, str | None]:
    """``(trace_id, span_id)`` of OpenTelemetry's current span, hex, or ``(None, None)``."""
    if _otel_trace is None:
        return None, None
    ctx = _otel_trace.get_current_span().get_span_context()
    if not ctx.is_valid:
        return None, None
    return f"{ctx.trace_id:032x}", f"{ctx.span_id:016x}"


# ---- redaction ------------------------------------------------------------------------------

_NAME_WORD = r"[A-Z][a-z]+(?:['-][A-Za-z]+)*"
_STREET = (
    r"St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Dr|Drive|Ln|Lane|Way|Ct|Court|Pl|Place|"
    r"Ter|Terrace|Cir|Circle|Pkwy|Parkway|Hwy|Highway|Trl|Trail|Loop|Sq|Square"
)
#: (pattern, replacement), applied in this order
_RULES: list[tuple[re.Pattern[str], str]] = [
    # e-mail addresses
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "<email>"),
    # name-ish keys: name=Jane Doe, "first_name": "Jane", broker: Daniel Okafor, my name is ...
    (
        re.compile(
            r"(?i:\b((?:first|last|full|caller|lead|broker|contact|spouse|user)?[_ ]?name|"
            r"caller|lead|broker|contact|spouse|my name is|this is|i am|i'm|speaking with)"
            r"(['\"]?\s*[:=]?\s*['\"]?\s*))" + _NAME_WORD + r"(?:\s+" + _NAME_WORD + r")?"
        ),
        r"\1\2<name>",
    ),
    # street addresses: 1234 Maple Street, 77 N Elm Ave
    (
        re.compile(
            r"\b\d{1,6}\s+(?:[NSEW]\.?\s+)?(?:[A-Za-z][\w.'-]*\s+){1,4}(?:" + _STREET + r")\b\.?",
            re.IGNORECASE,
        ),
        "<address>",
    ),
    # money: $250,000 / $1.2M / 250000 dollars / 300k
    (
        re.compile(
            r"\$\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:k|m|mm|thousand|million|billion)\b)?"
            r"|\b\d[\d,]*(?:\.\d+)?\s?(?:k|thousand|million|grand|dollars|bucks|usd)\b",
            re.IGNORECASE,
        ),
        "<amount>",
    ),
    # ages: 72 years old, age 72, aged 72, "age": 72, I'm 72
    (
        re.compile(
            r"\b\d{1,3}\s*(?:years?|yrs?)[\s-]*old\b"
            r"|(?i:\b(?:age|aged|birth_year|born(?: in)?)\b)['\"]?\s*[:=]?\s*['\"]?\d{1,4}\b",
            re.IGNORECASE,
        ),
        "<age>",
    ),
    # phone numbers: +12065550199, (206) 555-0199, 206.555.0199, 206 555 0199, 555-0199
    (
        re.compile(
            r"(?<![\w+])(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?!\w)"
            r"|(?<![\w+])\+\d{8,15}(?!\w)"
            r"|(?<![\w.-])\d{3}[\s.-]\d{4}(?![\w.-])"
        ),
        "<phone>",
    ),
    # ZIP codes (and any other bare five-digit number: logs have no need for one) — but not a
    # port: ``127.0.0.1:40647``, ``localhost:40647``, ``port 40647``
    (
        re.compile(
            r"(?<![\w.-])(?<!\d:)(?<!localhost:)(?<!port )(?<!port=)\d{5}(?:-\d{4})?(?![\w.])",
            re.IGNORECASE,
        ),
        "<zip>",
    ),
    # a long run of digits (account, SSN, card numbers)
    (re.compile(r"(?<![\w.-])\d{3}-\d{2}-\d{4}(?!\w)|(?<![\w.])\d{9,}(?!\w)"), "<number>"),
]


def redact(text: str) -> str:
    """``text`` with every recognisable piece of personal data replaced by ``<kind>``."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


class RedactFilter(logging.Filter):
    """Redacts a record's message and args (the formatted message replaces both) and its
    traceback text. Put it on handlers: a logger's own filters do not see propagated records."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_ec_redacted", False):
            return True
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep the template, drop the args
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        for key, value in list(record.__dict__.items()):  # ``extra=`` fields (LiveKit's)
            if key not in _STANDARD and isinstance(value, str | dict | list | tuple):
                record.__dict__[key] = redact(value if isinstance(value, str) else _text(value))
        record._ec_redacted = True
        return True


#: a record's own attributes (and ours): everything else came in ``extra=``
_STANDARD = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message", "asctime", "call_id", "trace_id", "span_id", "service", "_ec_redacted",
}  # fmt: skip


def _text(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return str(value)


# ---- context and format -----------------------------------------------------------------------


class ContextFilter(logging.Filter):
    """Adds ``call_id``, ``trace_id``, ``span_id`` (and the service) to every record."""

    def __init__(self, service: str | None = None, instance: str | None = None) -> None:
        super().__init__()
        self.service, self.instance = service, instance

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "call_id"):
            record.call_id = CALL_ID.get()
        if not hasattr(record, "trace_id"):
            record.trace_id, record.span_id = trace_ids()
        if self.service and not hasattr(record, "service"):
            record.service = self.service
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, msg, service, call_id, trace_id, span_id
    (null when unknown), exc when there is a traceback."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
            "service": getattr(record, "service", None),
            "call_id": getattr(record, "call_id", None),
            "trace_id": getattr(record, "trace_id", None),
            "span_id": getattr(record, "span_id", None),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            out["exc"] = record.exc_text
        if record.stack_info:
            out["stack"] = record.stack_info
        return json.dumps(out, ensure_ascii=False, default=str)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(call_id)s %(trace_id)s]: %(message)s"


class _TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        for name in ("call_id", "trace_id"):
            if getattr(record, name, None) is None:
                setattr(record, name, "-")
        return super().format(record)


# ---- the last problem, for the presence pong ----------------------------------------------------


class LastProblem(logging.Handler):
    """Keeps the newest WARNING-or-worse record: ``(unix time, "LEVEL logger: message")``."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.addFilter(RedactFilter())
        self.last: tuple[float, str] | None = None

    def emit(self, record: logging.LogRecord) -> None:
        text = f"{record.levelname} {record.name}: {record.getMessage()}"
        self.last = (record.created, text.splitlines()[0][:300] if text else text)


LAST_PROBLEM = LastProblem()


def last_problem() -> tuple[float, str] | None:
    return LAST_PROBLEM.last


def watch_problems() -> None:
    """Install :data:`LAST_PROBLEM` on the root logger (idempotent)."""
    root = logging.getLogger()
    if LAST_PROBLEM not in root.handlers:
        root.addHandler(LAST_PROBLEM)


def redact_handlers(service: str | None = None) -> None:
    """Add the context and redaction filters to every handler on the root logger that lacks
    them (handlers a library installed, e.g. LiveKit's CLI)."""
    for handler in logging.getLogger().handlers:
        if handler is LAST_PROBLEM:
            continue
        if not any(isinstance(f, RedactFilter) for f in handler.filters):
            handler.addFilter(ContextFilter(service))
            handler.addFilter(RedactFilter())
    watch_problems()


def configure(
    level: int,
    fmt: str = "json",
    *,
    service: str | None = None,
    stream: TextIO | None = None,
) -> logging.Handler:
    """Replace the root logger's handlers with one that writes ``fmt`` (``json`` | ``text``)
    to ``stream`` (stderr), with the call/trace context and the redaction filter; returns it."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(ContextFilter(service))
    handler.addFilter(RedactFilter())
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        formatter = _TextFormatter(TEXT_FORMAT)
        formatter.converter = time.gmtime
        handler.setFormatter(formatter)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    watch_problems()
    return handler
