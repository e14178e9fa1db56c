"""Seed data: loads through each service's own role, idempotently, and covers the call types."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import psycopg
import pytest

from services.ops.seeding import seed_all
from services.persistence.seed import NODES, SECTIONS

ALLOWED_VARIABLES = {
    "lead_first_name", "lead_city", "broker_name", "broker_company", "broker_nmls",
    "caller_timezone", "call_type", "today",
}  # fmt: skip


@pytest.fixture
def seeded(db: str) -> str:
    seed_all(db)
    return db


def test_seed_twice_gives_the_same_data(seeded: str) -> None:
    first = seed_all(seeded).counts
    second = seed_all(seeded).counts
    assert first == second
    assert first["leads"] >= 8 and first["brokers"] >= 3 and first["kb_chunks"] >= 40


def test_brokers_span_timezones_with_one_default(tools_db: psycopg.Connection, seeded: str) -> None:
    rows = tools_db.execute("SELECT timezone, is_default FROM brokers").fetchall()
    zones = {tz for tz, _ in rows}
    assert len(zones) >= 3
    for tz in zones:
        ZoneInfo(tz)  # a real IANA zone
    assert sum(1 for _, d in rows if d) == 1
    hours = tools_db.execute(
        "SELECT count(DISTINCT broker_id) FROM broker_working_hours"
    ).fetchone()
    territories = tools_db.execute(
        "SELECT count(DISTINCT broker_id) FROM broker_territories"
    ).fetchone()
    assert hours == territories == (len(rows),)


def test_leads_cover_the_call_types(tools_db: psycopg.Connection, seeded: str) -> None:
    rows = tools_db.execute(
        "SELECT status, qualified, disqualification_reason, do_not_call, notes FROM leads"
    ).fetchall()
    reasons = {r[2] for r in rows}
    assert {"age_below_62", "not_homeowner"} <= reasons
    assert any(r[1] for r in rows), "a qualified (returning) lead"
    assert any(r[3] for r in rows), "a do-not-call lead"
    assert any(r[0] in ("new", "contacted") and not r[1] for r in rows), "an unqualified lead"


def test_returning_callers_have_memory(persistence_db: psycopg.Connection, seeded: str) -> None:
    rows = persistence_db.execute(
        "SELECT caller_phone, call_count, last_outcome, durable FROM conversation_state"
    ).fetchall()
    assert rows
    for phone, count, _, durable in rows:
        assert re.fullmatch(r"\+[1-9]\d{7,14}", phone)
        assert count >= 1 and isinstance(durable, dict)


def test_every_call_type_has_one_active_prompt_with_all_sections(
    persistence_db: psycopg.Connection, seeded: str
) -> None:
    rows = persistence_db.execute(
        "SELECT p.call_type, v.sections, v.nodes FROM prompts p"
        " JOIN prompt_versions v ON v.prompt_id = p.id AND v.status = 'active'"
    ).fetchall()
    assert {r[0] for r in rows} == {
        "inbound-qualified", "inbound-unqualified", "inbound-unknown", "outbound-warm",
        "outbound-cold",
    }  # fmt: skip
    for _, sections, nodes in rows:
        assert set(sections) == set(SECTIONS) and set(nodes) == set(NODES)
        text = " ".join([*sections.values(), *nodes.values()])
        assert set(re.findall(r"\{\{(\w+)\}\}", text)) <= ALLOWED_VARIABLES


def test_default_template_uses_deepgram_elevenlabs_and_an_openai_compatible_llm(
    persistence_db: psycopg.Connection, seeded: str
) -> None:
    row = persistence_db.execute(
        "SELECT stt_provider, tts_provider, llm_provider FROM ai_templates WHERE is_default"
    ).fetchone()
    assert row == ("deepgram", "elevenlabs", "openai")
    assigned = persistence_db.execute(
        "SELECT count(*) FROM phone_number_assignments a JOIN ai_templates t"
        " ON t.id = a.template_id WHERE NOT t.is_default"
    ).fetchone()
    assert assigned is not None and assigned[0] >= 1


def test_knowledge_base_covers_the_topics(tools_db: psycopg.Connection, seeded: str) -> None:
    text = " ".join(
        r[0].lower() for r in tools_db.execute("SELECT section || ' ' || content FROM kb_chunks")
    )
    for topic in ["hecm", "62", "counsel", "heir", "tax", "insurance", "scam", "line of credit"]:
        assert topic in text, topic
    hits = tools_db.execute(
        "SELECT count(*) FROM kb_chunks WHERE tsv @@ plainto_tsquery('english', 'FHA')"
    ).fetchone()
    assert hits is not None and hits[0] > 0
