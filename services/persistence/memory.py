"""Conversation memory: one row per caller, deep-merged patches.

Durable across calls: lead id, qualified, topics discussed, call count and whatever the caller
told us about their plans. Reset at each new call: the per-call keys below.
"""

from __future__ import annotations

from typing import Any

PER_CALL_KEYS = frozenset(
    {"verified", "wrong_person", "ready_to_book", "objections", "node_visits", "booked_this_call"}
)
#: Facts from a call's outcome remembered for the next call.
REMEMBERED_FACTS = frozenset(
    {"money_purpose", "amount_needed", "timeline", "questions", "topics_discussed",
     "objections_raised", "appointment", "callback"}
)  # fmt: skip


def deep_merge(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """Scalars overwrite, maps merge, lists append what is not already there."""
    out = dict(base)
    for key, value in patch.items():
        old = out.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            out[key] = deep_merge(old, value)
        elif isinstance(old, list) and isinstance(value, list):
            out[key] = old + [v for v in value if v not in old]
        else:
            out[key] = value
    return out


def split_patch(patch: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(per-call part, durable part)."""
    current = {k: v for k, v in patch.items() if k in PER_CALL_KEYS}
    durable = {k: v for k, v in patch.items() if k not in PER_CALL_KEYS}
    return current, durable


def remembered(facts: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in facts.items() if k in REMEMBERED_FACTS and v not in (None, "", [])}
