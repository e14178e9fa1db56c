"""Migrations, roles and the constraints that do the hard work — against real Postgres."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from psycopg.types.json import Jsonb

from contracts.phone import to_e164
from services.ops.infra import InfraError
from services.ops.migrate import SERVICES_DIR, migrate, owner, service_url


def _broker(conn: psycopg.Connection, *, default: bool = False, nmls: str = "1234567") -> uuid.UUID:
    broker_id = uuid.uuid4()
    conn.execute(
        "INSERT INTO brokers (id, name, company, nmls, phone, email, timezone, is_default)"
        " VALUES (%s, 'B', 'C', %s, '+12065550201', 'b@example.com', 'America/Chicago', %s)",
        (broker_id, nmls, default),
    )
    return broker_id


def _lead(conn: psycopg.Connection, phone: str = "+12065550231") -> uuid.UUID:
    lead_id = uuid.uuid4()
    conn.execute("INSERT INTO leads (id, phone) VALUES (%s, %s)", (lead_id, phone))
    return lead_id


def _book(conn: psycopg.Connection, broker: uuid.UUID, lead: uuid.UUID, start: datetime,
          minutes: int = 45, key: str | None = None) -> uuid.UUID:  # fmt: skip
    appointment = uuid.uuid4()
    conn.execute(
        "INSERT INTO appointments (id, lead_id, broker_id, starts_at, ends_at, broker_timezone,"
        " caller_timezone, idempotency_key) VALUES (%s, %s, %s, %s, %s, 'America/Chicago',"
        " 'America/New_York', %s)",
        (appointment, lead, broker, start, start + timedelta(minutes=minutes),
         key or uuid.uuid4().hex),
    )  # fmt: skip
    return appointment


def test_migrations_apply_twice_without_error(db: str) -> None:
    assert migrate(db) == []
    assert migrate(db) == []


def test_an_edited_applied_migration_is_refused(db: str) -> None:
    with psycopg.connect(db, autocommit=True) as conn:
        conn.execute(
            "UPDATE tools.schema_migrations SET checksum = 'edited' WHERE version = '0001_core'"
        )
        try:
            with pytest.raises(InfraError, match="changed after it was applied"):
                migrate(db)
        finally:
            text = (SERVICES_DIR / "tools/migrations/0001_core.sql").read_text()
            conn.execute(
                "UPDATE tools.schema_migrations SET checksum = %s WHERE version = '0001_core'",
                (hashlib.sha256(text.encode()).hexdigest(),),
            )


def test_overlap_constraint_refuses_a_double_booking(tools_db: psycopg.Connection) -> None:
    broker = _broker(tools_db)
    lead_a, lead_b = _lead(tools_db, "+12065550231"), _lead(tools_db, "+12065550232")
    start = datetime(2026, 12, 1, 16, 0, tzinfo=UTC)
    _book(tools_db, broker, lead_a, start)
    with pytest.raises(psycopg.errors.ExclusionViolation):
        _book(tools_db, broker, lead_b, start + timedelta(minutes=30))


def test_back_to_back_and_cancelled_slots_can_be_booked(tools_db: psycopg.Connection) -> None:
    broker = _broker(tools_db)
    lead = _lead(tools_db)
    start = datetime(2026, 12, 1, 16, 0, tzinfo=UTC)
    first = _book(tools_db, broker, lead, start)
    _book(tools_db, broker, lead, start + timedelta(minutes=45))  # touches, does not overlap
    tools_db.execute("UPDATE appointments SET status = 'cancelled' WHERE id = %s", (first,))
    _book(tools_db, broker, lead, start)


def test_other_brokers_may_share_a_slot(tools_db: psycopg.Connection) -> None:
    a, b = _broker(tools_db), _broker(tools_db, nmls="7654321")
    lead = _lead(tools_db)
    start = datetime(2026, 12, 1, 16, 0, tzinfo=UTC)
    _book(tools_db, a, lead, start)
    _book(tools_db, b, lead, start)


def test_booking_retry_with_the_same_idempotency_key_is_refused(
    tools_db: psycopg.Connection,
) -> None:
    broker, lead = _broker(tools_db), _lead(tools_db)
    _book(tools_db, broker, lead, datetime(2026, 12, 1, 16, tzinfo=UTC), key="k-1")
    with pytest.raises(psycopg.errors.UniqueViolation):
        _book(tools_db, broker, lead, datetime(2026, 12, 2, 16, tzinfo=UTC), key="k-1")


def test_phone_uniqueness_holds_across_formats(tools_db: psycopg.Connection) -> None:
    _lead(tools_db, to_e164("(206) 555-0231"))
    with pytest.raises(psycopg.errors.UniqueViolation):
        _lead(tools_db, to_e164("+1 206-555-0231"))


def test_a_phone_that_is_not_e164_is_refused(tools_db: psycopg.Connection) -> None:
    with pytest.raises(psycopg.errors.CheckViolation):
        _lead(tools_db, "(206) 555-0231")


def test_qualified_is_derived_from_all_four_gates(tools_db: psycopg.Connection) -> None:
    lead = _lead(tools_db)
    tools_db.execute(
        "UPDATE leads SET gate_age = true, gate_homeowner = true, gate_primary_residence = true"
        " WHERE id = %s",
        (lead,),
    )
    assert tools_db.execute("SELECT qualified FROM leads WHERE id = %s", (lead,)).fetchone() == (
        False,
    )
    tools_db.execute("UPDATE leads SET gate_equity = true WHERE id = %s", (lead,))
    assert tools_db.execute("SELECT qualified FROM leads WHERE id = %s", (lead,)).fetchone() == (
        True,
    )


def test_statuses_are_enums(tools_db: psycopg.Connection) -> None:
    lead = _lead(tools_db)
    with pytest.raises(psycopg.errors.InvalidTextRepresentation):
        tools_db.execute("UPDATE leads SET status = 'maybe' WHERE id = %s", (lead,))


def test_only_one_default_broker(tools_db: psycopg.Connection) -> None:
    _broker(tools_db, default=True)
    with pytest.raises(psycopg.errors.UniqueViolation):
        _broker(tools_db, default=True, nmls="7654321")


def _prompt(conn: psycopg.Connection) -> uuid.UUID:
    prompt = uuid.uuid4()
    conn.execute(
        "INSERT INTO prompts (id, call_type, name) VALUES (%s, 'inbound-unknown', 'p')", (prompt,)
    )
    return prompt


def _version(conn: psycopg.Connection, prompt: uuid.UUID, version: int, status: str) -> None:
    conn.execute(
        "INSERT INTO prompt_versions (id, prompt_id, version, status, sections, nodes)"
        " VALUES (%s, %s, %s, %s, %s, %s)",
        (uuid.uuid4(), prompt, version, status, Jsonb({"role": "r"}), Jsonb({"greet": "g"})),
    )


def test_one_active_prompt_version_per_call_type(persistence_db: psycopg.Connection) -> None:
    prompt = _prompt(persistence_db)
    _version(persistence_db, prompt, 1, "active")
    _version(persistence_db, prompt, 2, "draft")  # drafts sit beside the active one
    with pytest.raises(psycopg.errors.UniqueViolation):
        _version(persistence_db, prompt, 3, "active")


def test_outcomes_are_checked(persistence_db: psycopg.Connection) -> None:
    persistence_db.execute(
        "INSERT INTO calls (call_id, direction, started_at)"
        " VALUES ('call_abc123', 'inbound', now())"
    )
    with pytest.raises(psycopg.errors.InvalidTextRepresentation):
        persistence_db.execute("UPDATE calls SET outcome = 'sold' WHERE call_id = 'call_abc123'")


@pytest.mark.parametrize(
    ("service", "foreign"),
    [("tools", "persistence.calls"), ("persistence", "tools.leads")],
)
def test_a_service_role_cannot_read_another_services_schema(
    db: str, service: str, foreign: str
) -> None:
    with psycopg.connect(service_url(db, service)) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(f"SELECT * FROM {foreign} LIMIT 1")


def test_a_service_role_cannot_create_objects_in_public(db: str) -> None:
    with psycopg.connect(service_url(db, "tools")) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("CREATE TABLE public.sneaky (x int)")


def test_service_tables_belong_to_the_service_role(db: str) -> None:
    with psycopg.connect(db) as conn:
        owners = conn.execute(
            "SELECT DISTINCT schemaname, tableowner FROM pg_tables"
            " WHERE schemaname IN ('tools', 'persistence')"
        ).fetchall()
    assert sorted(owners) == sorted(
        [("persistence", owner("persistence").role), ("tools", owner("tools").role)]
    )


def test_service_role_search_path_finds_its_tables(tools_db: psycopg.Connection) -> None:
    assert tools_db.execute("SELECT count(*) FROM leads").fetchone() == (0,)


def test_every_end_reason_of_the_contract_is_a_database_value(
    persistence_db: psycopg.Connection,
) -> None:
    from contracts.calls import EndReason

    rows = persistence_db.execute("SELECT unnest(enum_range(NULL::call_end_reason))::text")
    assert {r[0] for r in rows.fetchall()} == {reason.value for reason in EndReason}
