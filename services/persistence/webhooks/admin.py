"""What operators do with the outbox: see it (``equity-connect webhooks list``) and send dead
rows again (``equity-connect webhooks retry``). Bodies are never printed: they are the
receiver's business (ids and outcomes only, but still)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import psycopg


@dataclass(frozen=True)
class OutboxRow:
    id: int
    event_type: str
    call_id: str
    endpoint: str
    status: str
    attempts: int
    next_attempt_at: datetime
    last_status: int | None
    last_error: str | None


def rows(conn: psycopg.Connection, status: str | None, limit: int) -> list[OutboxRow]:
    found = conn.execute(
        """SELECT id, event_type, call_id, endpoint, status::text, attempts, next_attempt_at,
                  last_status, last_error FROM webhook_outbox
           WHERE %s::text IS NULL OR status::text = %s
           ORDER BY id DESC LIMIT %s""",
        (status, status, limit),
    ).fetchall()
    return [OutboxRow(*row) for row in found]


def counts(conn: psycopg.Connection) -> dict[str, int]:
    found = conn.execute("SELECT status::text, count(*) FROM webhook_outbox GROUP BY 1")
    return {status: n for status, n in found.fetchall()}


def retry(conn: psycopg.Connection, ids: Sequence[int] = (), all_dead: bool = False) -> int:
    """Dead rows (these ids, or all of them) become pending with their attempts reset, due
    now; delivered and pending rows are left alone. Returns how many."""
    cur = conn.execute(
        """UPDATE webhook_outbox SET status = 'pending', attempts = 0,
               next_attempt_at = now(), last_error = NULL
           WHERE status = 'dead' AND (%s OR id = ANY(%s))""",
        (all_dead, list(ids)),
    )
    return cur.rowcount
