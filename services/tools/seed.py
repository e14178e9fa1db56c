"""Load the tools service's seed data (brokers, territories, hours, leads, knowledge base text).

Idempotent: ids are derived from stable keys, rows are upserted. Knowledge-base passages are
stored without embeddings here; the tools service embeds them (``equity-connect kb embed``).
"""

from __future__ import annotations

import hashlib
import tomllib
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from contracts.phone import to_e164

SEED_DIR = Path(__file__).resolve().parent / "seed"
NAMESPACE = uuid.UUID("5d0f3a52-7a0e-4c43-9a55-0e7a9c1f2b10")


def stable_id(kind: str, key: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{kind}:{key}")


@dataclass(frozen=True)
class LeadMemory:
    """What a returning caller's memory looks like, handed to persistence's seed."""

    phone: str
    lead_id: str
    qualified: bool
    memory: dict[str, Any]


@dataclass(frozen=True)
class Passage:
    section: str
    content: str


@dataclass(frozen=True)
class Document:
    source: str
    title: str
    passages: list[Passage]

    @property
    def content_hash(self) -> str:
        text = "\n".join(f"{p.section}\n{p.content}" for p in self.passages)
        return hashlib.sha256(f"{self.title}\n{text}".encode()).hexdigest()


def parse_markdown(text: str, source: str) -> Document:
    """``# Title`` then ``## Section`` headings, each followed by its passage text."""
    title = Path(source).stem.replace("-", " ").title()
    passages: list[Passage] = []
    section: str | None = None
    lines: list[str] = []

    def flush() -> None:
        body = " ".join(line.strip() for line in lines if line.strip())
        if body:
            passages.append(Passage(section or title, body))

    for line in text.splitlines():
        if line.startswith("# ") and not passages and section is None and not lines:
            title = line[2:].strip()
        elif line.startswith("## "):
            flush()
            section, lines = line[3:].strip(), []
        else:
            lines.append(line)
    flush()
    return Document(source=source, title=title, passages=passages)


def load_documents(directory: Path = SEED_DIR / "kb") -> list[Document]:
    return [
        parse_markdown(path.read_text(), f"seed/kb/{path.name}")
        for path in sorted(directory.glob("*.md"))
    ]


def upsert_document(conn: psycopg.Connection, doc: Document) -> bool:
    """Insert or replace a document and its passages; returns False when unchanged."""
    doc_id = stable_id("kb", doc.source)
    row = conn.execute("SELECT content_hash FROM kb_documents WHERE id = %s", (doc_id,)).fetchone()
    if row and row[0] == doc.content_hash:
        return False
    conn.execute(
        """INSERT INTO kb_documents (id, source, title, content_hash) VALUES (%s, %s, %s, %s)
           ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title,
               content_hash = EXCLUDED.content_hash, updated_at = now()""",
        (doc_id, doc.source, doc.title, doc.content_hash),
    )
    conn.execute("DELETE FROM kb_chunks WHERE document_id = %s", (doc_id,))
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO kb_chunks (id, document_id, ordinal, section, content)"
            " VALUES (%s, %s, %s, %s, %s)",
            [
                (stable_id("kb-chunk", f"{doc.source}#{i}"), doc_id, i, p.section, p.content)
                for i, p in enumerate(doc.passages)
            ],
        )
    return True


def _read(name: str) -> dict[str, Any]:
    with open(SEED_DIR / name, "rb") as fh:
        return tomllib.load(fh)


def seed(conn: psycopg.Connection) -> list[LeadMemory]:
    """Load everything in one transaction; returns the returning callers' memories."""
    with conn.transaction():
        _seed_brokers(conn, _read("brokers.toml")["brokers"])
        memories = _seed_leads(conn, _read("leads.toml")["leads"])
        for doc in load_documents():
            upsert_document(conn, doc)
    return memories


def _seed_brokers(conn: psycopg.Connection, brokers: list[dict[str, Any]]) -> None:
    for b in brokers:
        broker_id = stable_id("broker", b["key"])
        conn.execute(
            """INSERT INTO brokers (id, name, company, nmls, phone, email, timezone, status,
                                    is_default, appointment_minutes)
               VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
               ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, company = EXCLUDED.company,
                   nmls = EXCLUDED.nmls, phone = EXCLUDED.phone, email = EXCLUDED.email,
                   timezone = EXCLUDED.timezone, status = EXCLUDED.status,
                   is_default = EXCLUDED.is_default,
                   appointment_minutes = EXCLUDED.appointment_minutes, updated_at = now()""",
            (
                broker_id, b["name"], b["company"], b["nmls"], to_e164(b["phone"]), b["email"],
                b["timezone"], b.get("status", "active"), b.get("is_default", False),
                b.get("appointment_minutes", 45),
            ),
        )  # fmt: skip
        conn.execute("DELETE FROM broker_working_hours WHERE broker_id = %s", (broker_id,))
        for h in b.get("working_hours", []):
            conn.execute(
                "INSERT INTO broker_working_hours (broker_id, weekday, start_time, end_time)"
                " VALUES (%s, %s, %s, %s)",
                (broker_id, h["weekday"], h["start"], h["end"]),
            )
        conn.execute("DELETE FROM broker_territories WHERE broker_id = %s", (broker_id,))
        for t in b.get("territories", []):
            conn.execute(
                "INSERT INTO broker_territories (broker_id, zip, city, state)"
                " VALUES (%s, %s, %s, %s)",
                (broker_id, t.get("zip"), t.get("city"), t.get("state")),
            )


_LEAD_COLUMNS = {
    "first_name": "first_name",
    "last_name": "last_name",
    "email": "email",
    "address": "property_address",
    "city": "property_city",
    "state": "property_state",
    "zip": "property_zip",
    "property_value": "property_value",
    "mortgage_balance": "mortgage_balance",
    "age": "age",
    "is_homeowner": "is_homeowner",
    "owner_occupied": "owner_occupied",
    "status": "status",
    "gate_age": "gate_age",
    "gate_homeowner": "gate_homeowner",
    "gate_primary_residence": "gate_primary_residence",
    "gate_equity": "gate_equity",
    "disqualification_reason": "disqualification_reason",
    "consent": "consent",
    "do_not_call": "do_not_call",
    "notes": "notes",
}


def _seed_leads(conn: psycopg.Connection, leads: list[dict[str, Any]]) -> list[LeadMemory]:
    memories: list[LeadMemory] = []
    for lead in leads:
        lead_id = stable_id("lead", lead["key"])
        phone = to_e164(lead["phone"])
        values: dict[str, Any] = {col: lead.get(field) for field, col in _LEAD_COLUMNS.items()}
        values["consent"] = bool(values["consent"])
        values["do_not_call"] = bool(values["do_not_call"])
        values["status"] = values["status"] or "new"
        broker = lead.get("broker")
        values["assigned_broker_id"] = stable_id("broker", broker) if broker else None
        cols = ["id", "phone", *values, "consent_at", "do_not_call_at"]
        params = [lead_id, phone, *values.values()]
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in cols[1:])
        conn.execute(
            f"""INSERT INTO leads ({", ".join(cols)})
                VALUES ({", ".join(["%s"] * (len(params)))},
                        CASE WHEN %s THEN now() END, CASE WHEN %s THEN now() END)
                ON CONFLICT (id) DO UPDATE SET {updates}, updated_at = now()""",
            [*params, values["consent"], values["do_not_call"]],
        )
        if "memory" in lead:
            gates = [lead.get(g) for g in _GATES]
            memories.append(
                LeadMemory(
                    phone=phone,
                    lead_id=str(lead_id),
                    qualified=all(g is True for g in gates),
                    memory=dict(lead["memory"]),
                )
            )
    return memories


_GATES = ("gate_age", "gate_homeowner", "gate_primary_residence", "gate_equity")
