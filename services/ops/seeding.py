"""``equity-connect seed``: each service's seed loaded through its own database role."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg

from services.ops.migrate import service_url
from services.persistence import seed as persistence_seed
from services.tools import seed as tools_seed


@dataclass(frozen=True)
class SeedSummary:
    counts: dict[str, int]


def seed_all(admin_url: str) -> SeedSummary:
    with psycopg.connect(service_url(admin_url, "tools")) as conn:
        memories = tools_seed.seed(conn)
        counts = _counts(
            conn, ["brokers", "broker_territories", "leads", "kb_documents", "kb_chunks"]
        )
    with psycopg.connect(service_url(admin_url, "persistence")) as conn:
        persistence_seed.seed(conn, memories)
        counts |= _counts(
            conn,
            ["ai_templates", "phone_number_assignments", "prompts", "prompt_versions",
             "conversation_state"],
        )  # fmt: skip
    return SeedSummary(counts)


def _counts(conn: psycopg.Connection, tables: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for table in tables:
        row = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
        out[table] = int(row[0]) if row else 0
    return out
