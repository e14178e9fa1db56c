"""Generate the AsyncAPI 3 document of every channel and payload from the contracts.

The committed copy is ``docs/asyncapi.yaml``; a test fails when it is out of date.
Regenerate with ``equity-connect asyncapi --write``.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import msgspec
import yaml

from contracts.catalog import CALL_EVENTS, DEAD_LETTER, STORE_QUERIES, TOOL_REPLY, TOOL_REQUESTS
from contracts.subjects import CALLS, DLQ, STORE, STORE_QUEUE, TOOLS, tool_queue

DOC_PATH = Path(__file__).resolve().parent.parent / "docs" / "asyncapi.yaml"
REF = "#/components/schemas/{name}"


def _summary(t: type) -> str:
    lines = (t.__doc__ or "").strip().splitlines()
    return lines[0] if lines else ""


def _msg_ref(t: type) -> dict[str, str]:
    return {"$ref": f"#/components/messages/{t.__name__}"}


def _chan_ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/channels/{name}"}


def build() -> dict[str, Any]:
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    types: list[type] = []

    call_id = {"description": "Opaque call id (never a phone number)."}
    for event, payload in CALL_EVENTS.items():
        name = f"call_{event.value}"
        channels[name] = {
            "address": f"{CALLS}.{{call_id}}.{event.value}",
            "title": f"calls.<call_id>.{event.value}",
            "description": _summary(payload),
            "parameters": {"call_id": dict(call_id)},
            "messages": {payload.__name__: _msg_ref(payload)},
        }
        operations[f"publish_{name}"] = {
            "action": "send",
            "channel": _chan_ref(name),
            "messages": [{"$ref": f"#/channels/{name}/messages/{payload.__name__}"}],
        }
        types.append(payload)

    channels["tool_reply"] = {
        "address": None,
        "description": "Reply inbox of a tool request.",
        "messages": {TOOL_REPLY.__name__: _msg_ref(TOOL_REPLY)},
    }
    types.append(TOOL_REPLY)
    for tool, request in TOOL_REQUESTS.items():
        name = f"tool_{tool.value}"
        channels[name] = {
            "address": f"{TOOLS}.{tool.value}",
            "description": f"Request/reply, queue group `{tool_queue(tool.value)}`. "
            + _summary(request),
            "messages": {request.__name__: _msg_ref(request)},
        }
        operations[f"request_{name}"] = {
            "action": "send",
            "channel": _chan_ref(name),
            "messages": [{"$ref": f"#/channels/{name}/messages/{request.__name__}"}],
            "reply": {
                "channel": _chan_ref("tool_reply"),
                "messages": [{"$ref": f"#/channels/tool_reply/messages/{TOOL_REPLY.__name__}"}],
            },
        }
        types.append(request)

    for query, spec in STORE_QUERIES.items():
        name = f"store_{query.value}"
        reply_name = f"{name}_reply"
        channels[name] = {
            "address": f"{STORE}.{query.value}",
            "description": f"Request/reply, queue group `{STORE_QUEUE}`. " + _summary(spec.request),
            "messages": {spec.request.__name__: _msg_ref(spec.request)},
        }
        channels[reply_name] = {
            "address": None,
            "description": f"Reply inbox of {STORE}.{query.value}.",
            "messages": {r.__name__: _msg_ref(r) for r in spec.replies},
        }
        operations[f"request_{name}"] = {
            "action": "send",
            "channel": _chan_ref(name),
            "messages": [{"$ref": f"#/channels/{name}/messages/{spec.request.__name__}"}],
            "reply": {
                "channel": _chan_ref(reply_name),
                "messages": [
                    {"$ref": f"#/channels/{reply_name}/messages/{r.__name__}"} for r in spec.replies
                ],
            },
        }
        types.append(spec.request)
        types.extend(spec.replies)

    channels["dead_letter"] = {
        "address": f"{DLQ}.{{original_subject}}",
        "description": "A message no consumer can ever process, with the reason.",
        "parameters": {"original_subject": {"description": "The subject it was published on."}},
        "messages": {DEAD_LETTER.__name__: _msg_ref(DEAD_LETTER)},
    }
    operations["publish_dead_letter"] = {
        "action": "send",
        "channel": _chan_ref("dead_letter"),
        "messages": [{"$ref": f"#/channels/dead_letter/messages/{DEAD_LETTER.__name__}"}],
    }
    types.append(DEAD_LETTER)

    unique = list(dict.fromkeys(types))
    _, schemas = msgspec.json.schema_components(unique, ref_template=REF)
    schemas = _clean_descriptions(schemas)
    messages = {
        t.__name__: {
            "name": t.__name__,
            "contentType": "application/json",
            "payload": {"$ref": REF.format(name=t.__name__)},
        }
        for t in unique
    }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Equity Connect bus",
            "version": "1.0.0",
            "description": "Every subject on the Equity Connect NATS bus and its payload. "
            "Generated from contracts/ by `equity-connect asyncapi --write`: do not edit.",
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": dict(sorted(schemas.items()))},
    }


def _clean_descriptions(node: Any) -> Any:
    """Every ``description`` as ``inspect.cleandoc`` gives it: how a serializer keeps a
    docstring's indentation (msgspec 0.23 keeps it, older releases strip it) must not change
    the committed document."""
    if isinstance(node, dict):
        return {
            k: inspect.cleandoc(v) if k == "description" and isinstance(v, str)
            else _clean_descriptions(v)
            for k, v in node.items()
        }  # fmt: skip
    if isinstance(node, list):
        return [_clean_descriptions(v) for v in node]
    return node


def render() -> str:
    return yaml.safe_dump(build(), sort_keys=False, allow_unicode=True, width=100)


def write(path: Path = DOC_PATH) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render())


def is_current(path: Path = DOC_PATH) -> bool:
    return path.exists() and path.read_text() == render()
