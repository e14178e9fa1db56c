"""``equity-connect tap [SUBJECT]``: a live, readable view of bus traffic.

One line per message, decoded into its contract, coloured by kind, call ids shortened.
Engineers may see call content; ``--redact`` masks phones, emails and street addresses.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
from typing import Any

import msgspec
from nats.aio.msg import Msg

from contracts import codec
from contracts.bus import connect_resilient
from contracts.catalog import CALL_EVENTS
from contracts.deadletter import DeadLetter
from contracts.subjects import call_wildcard, parse_call_subject

COLOURS = {
    "started": "32", "ended": "32", "turn": "36", "reply": "35", "transcript": "37",
    "interrupted": "33", "tool": "2", "state": "34", "outcome": "1;32", "dlq": "31",
}  # fmt: skip
PHONE = re.compile(r"\+?1?[\s.-]?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
ADDRESS = re.compile(r"\b\d{1,6}\s+(?:[A-Z][\w.]*\s){1,4}(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Dr|"
                     r"Drive|Ln|Lane|Way|Ct|Court|Pl|Place)\b\.?", re.IGNORECASE)  # fmt: skip


def redact(text: str) -> str:
    text = EMAIL.sub("<email>", text)
    text = ADDRESS.sub("<address>", text)
    return PHONE.sub("<phone>", text)


def short(call_id: str) -> str:
    return call_id[:10] + "…" + call_id[-4:] if len(call_id) > 16 else call_id


def describe(event: Any) -> str:
    """The interesting part of an event, in a few words."""
    data = msgspec.to_builtins(event)
    for noise in ("event_id", "occurred_at", "schema_version", "call_id"):
        data.pop(noise, None)
    if "text" in data and "speaker" in data:
        return f"{data['speaker']}: {data['text']}" + (
            " [interrupted]" if data.get("interrupted") else ""
        )
    if "reply_id" in data and "text" in data:
        flags = " [filler]" if data.get("filler") else ""
        flags += " [final]" if data.get("final") else ""
        action = f" → {data['action']['kind']}" if data.get("action") else ""
        return f"#{data['seq']} {data['text']}{flags}{action}"
    parts = [f"{k}={v}" for k, v in data.items() if v not in (None, "", [], {})]
    return " ".join(parts)


def render(msg: Msg, raw: bool, redacted: bool) -> str:
    if raw:
        line = msg.data.decode(errors="replace")
        return redact(line) if redacted else line
    try:
        call_id, name = parse_call_subject(msg.subject)
        event: Any = codec.decode(msg.data, CALL_EVENTS[name])
        kind, who, body = name.value, short(call_id), describe(event)
    except (ValueError, KeyError, codec.ContractError) as err:
        if msg.subject.startswith("dlq."):
            try:
                letter = codec.decode(msg.data, DeadLetter)
                kind, who, body = "dlq", letter.original_subject, letter.reason
            except codec.ContractError:
                kind, who, body = "dlq", msg.subject, "(unreadable)"
        else:
            kind, who, body = "?", msg.subject, f"(not a known contract: {err})"
    if redacted:
        body = redact(body)
    colour = COLOURS.get(kind, "0")
    tty = sys.stdout.isatty()
    label = f"\033[{colour}m{kind:<11}\033[0m" if tty else f"{kind:<11}"
    return f"{label} {who:<16} {body}"


async def tap(subject: str, *, call: str | None, raw: bool, redact: bool, limit: int) -> int:
    nc = await connect_resilient(os.environ["NATS_URL"], "tap")
    seen = 0
    done = asyncio.Event()

    async def show(msg: Msg) -> None:
        nonlocal seen
        print(render(msg, raw, redact), flush=True)
        seen += 1
        if limit and seen >= limit:
            done.set()

    await nc.subscribe(call_wildcard(call) if call else subject, cb=show)
    try:
        await done.wait()
    except asyncio.CancelledError:
        pass
    finally:
        await nc.close()
    return 0
