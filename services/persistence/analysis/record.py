"""What an evaluator sees of an ended call, read back from the call record."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from psycopg import AsyncConnection


@dataclass(frozen=True)
class CallRecord:
    call_id: str
    outcome: str | None
    end_reason: str | None
    duration_ms: int
    prompt_version_id: str | None
    cost_per_min_cents: float
    summary: str = ""
    facts: dict[str, Any] = field(default_factory=dict)
    lines: list[tuple[str, str]] = field(default_factory=list)  # (speaker, text) in order
    nodes: list[str] = field(default_factory=list)  # nodes visited, in order
    flags: dict[str, Any] = field(default_factory=dict)  # every flag the dialogue set
    tools: list[tuple[str, bool]] = field(default_factory=list)  # (tool, failed)

    def transcript(self) -> str:
        return "\n".join(f"{speaker}: {text}" for speaker, text in self.lines)


async def load(conn: AsyncConnection, call_id: str) -> CallRecord | None:
    """The call as recorded; ``None`` until the writer has recorded its end."""
    cur = await conn.execute(
        """SELECT c.outcome, c.end_reason, c.duration_ms, c.prompt_version_id,
                  coalesce(t.est_cost_per_min_cents, 0), i.summary, i.metadata
           FROM calls c
           LEFT JOIN ai_templates t ON t.id = c.template_id
           LEFT JOIN interactions i ON i.call_id = c.call_id
           WHERE c.call_id = %s AND c.ended_at IS NOT NULL""",
        (call_id,),
    )
    row = await cur.fetchone()
    if row is None:
        return None
    outcome, end_reason, duration, version, price, summary, metadata = row
    lines = await (
        await conn.execute(
            """SELECT speaker::text, coalesce(CASE WHEN interrupted THEN heard_text END, text)
               FROM transcript_segments WHERE call_id = %s ORDER BY seq""",
            (call_id,),
        )
    ).fetchall()
    states = await (
        await conn.execute(
            "SELECT node, flags FROM dialogue_state_changes WHERE call_id = %s ORDER BY seq",
            (call_id,),
        )
    ).fetchall()
    tools = await (
        await conn.execute(
            """SELECT tool, error IS NOT NULL FROM tool_invocations WHERE call_id = %s
               ORDER BY invoked_at""",
            (call_id,),
        )
    ).fetchall()
    flags: dict[str, Any] = {}
    for _, changed in states:
        flags.update(changed or {})
    return CallRecord(
        call_id=call_id,
        outcome=outcome,
        end_reason=end_reason,
        duration_ms=duration or 0,
        prompt_version_id=str(version) if version else None,
        cost_per_min_cents=float(price),
        summary=summary or "",
        facts=dict((metadata or {}).get("facts") or {}),
        lines=[(s, t) for s, t in lines],
        nodes=[n for n, _ in states],
        flags=flags,
        tools=[(t, bool(f)) for t, f in tools],
    )
