"""Password (SCRAM) logins on the project's own Postgres: no login is trusted, not even the
superuser's on loopback — against the real embedded cluster."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest

from services.ops import stack
from services.ops.infra import PG_PASSWORD_FILE, PostgresCluster, free_port, pg_url
from services.ops.migrate import OWNERS, derived_password, migrate, owner, service_url
from services.ops.stack import create_database

ROLES = ["postgres", *(own.role for own in OWNERS)]
#: a trusting pg_hba.conf, as an older checkout's cluster (or a machine's own Postgres) has it
TRUST_HBA = "local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n"


@pytest.fixture(autouse=True)
def no_client_side_password(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """libpq must not find a password elsewhere (PGPASSWORD, ~/.pgpass) and hide a refusal."""
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no.pgpass"))
    for own in OWNERS:
        monkeypatch.delenv(own.password_env(), raising=False)


@pytest.fixture
def admin(admin_db_url: str) -> str:
    """The admin URL of the session's own cluster (the one every database test uses)."""
    if os.environ.get("DATABASE_URL"):
        pytest.skip("DATABASE_URL names an external Postgres: its authentication is its own")
    return admin_db_url


@pytest.fixture
def cluster(admin: str, infra_root: Path) -> PostgresCluster:
    return PostgresCluster(infra_root / "postgres")


def port_of(url: str) -> int:
    return urlsplit(url).port or 0


def login(url: str) -> str:
    """``current_user`` of a fresh login, or why the server refused it."""
    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            row = conn.execute("SELECT current_user").fetchone()
            return str(row[0]) if row else ""
    except psycopg.OperationalError as err:
        return f"refused: {err}"


def test_pg_hba_conf_has_no_trust_lines(cluster: PostgresCluster) -> None:
    rules = [
        line.split()
        for line in cluster.hba_file.read_text().splitlines()
        if line.split("#", 1)[0].strip()
    ]
    assert rules, "pg_hba.conf has no rules"
    assert all("trust" not in rule for rule in rules), rules
    assert all(rule[-1] == "scram-sha-256" for rule in rules), rules
    assert {rule[0] for rule in rules} == {"local", "host"}


def test_the_superuser_password_is_private_and_in_the_admin_url(
    cluster: PostgresCluster, admin: str
) -> None:
    assert cluster.password_file == cluster.root / PG_PASSWORD_FILE
    assert stat.S_IMODE(cluster.password_file.stat().st_mode) == 0o600
    password = cluster.password()
    assert password and len(password) >= 32
    assert urlsplit(admin).password == password
    assert login(admin) == "postgres"


@pytest.mark.parametrize("role", ROLES)
def test_a_login_without_a_password_is_refused(admin: str, role: str) -> None:
    refusal = login(pg_url(port_of(admin), user=role))
    assert refusal.startswith("refused") and "no password supplied" in refusal, refusal


@pytest.mark.parametrize("role", ROLES)
def test_a_login_with_a_wrong_password_is_refused(admin: str, role: str) -> None:
    refusal = login(pg_url(port_of(admin), user=role, password="not-the-password"))
    assert "password authentication failed" in refusal, refusal


def test_every_role_password_is_stored_as_a_scram_verifier(admin: str) -> None:
    with psycopg.connect(admin) as conn:
        rows = dict(
            conn.execute(
                "SELECT rolname, rolpassword FROM pg_authid WHERE rolname = ANY(%s)", (ROLES,)
            ).fetchall()
        )
        assert conn.execute("SHOW password_encryption").fetchone() == ("scram-sha-256",)
    assert set(rows) == set(ROLES)
    for role, verifier in rows.items():
        assert verifier and verifier.startswith("SCRAM-SHA-256$4096:"), (role, verifier)


@pytest.mark.parametrize(
    ("service", "foreign"),
    [("tools", "persistence.calls"), ("persistence", "tools.leads")],
)
def test_a_service_logs_in_with_its_password_and_cannot_read_the_other_schema(
    admin: str, db: str, service: str, foreign: str
) -> None:
    url = service_url(db, service)
    assert urlsplit(url).password, "the service's DSN carries its role's password"
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT current_user").fetchone() == (owner(service).role,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(f"SELECT * FROM {foreign} LIMIT 1")


def test_a_role_password_comes_from_its_variable_else_from_the_admin_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    trusting = "postgresql://postgres@127.0.0.1:5432/equity_connect"  # e.g. a machine's own
    assert urlsplit(service_url(trusting, "tools")).password is None
    with_password = "postgresql://postgres:s3cret@127.0.0.1:5432/equity_connect"
    derived = urlsplit(service_url(with_password, "tools")).password
    assert derived == derived_password("s3cret", "ec_tools")
    assert derived != urlsplit(service_url(with_password, "persistence")).password
    assert len(derived or "") >= 32
    monkeypatch.setenv("EC_TOOLS_DB_PASSWORD", "given")
    assert urlsplit(service_url(with_password, "tools")).password == "given"
    assert urlsplit(service_url(trusting, "tools")).password == "given"


@pytest.fixture
def old_cluster(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[PostgresCluster, int]]:
    """A cluster as an older checkout left and started it: trust for everyone, no superuser
    password."""
    cluster = PostgresCluster(tmp_path / "postgres")
    port = free_port()
    cluster.start(port, fast=True)
    try:
        with psycopg.connect(cluster.admin_url(port, "postgres"), autocommit=True) as conn:
            conn.execute("ALTER ROLE postgres PASSWORD NULL")
        cluster.stop()
        cluster.hba_file.write_text(TRUST_HBA)
        cluster.password_file.unlink()
        with monkeypatch.context() as older_checkout:
            older_checkout.setattr(cluster, "secure", lambda: None)
            cluster.start(port, fast=True)
        yield cluster, port
    finally:
        cluster.stop()


def test_a_trusting_server_still_works_and_an_old_cluster_is_secured_on_its_next_start(
    old_cluster: tuple[PostgresCluster, int],
) -> None:
    cluster, port = old_cluster
    # a trusting server (a machine's own Postgres as DATABASE_URL) keeps working: no passwords
    trusted = pg_url(port)
    create_database(pg_url(port, "postgres"), "equity_connect")
    migrate(trusted)
    assert login(service_url(trusted, "tools")) == "ec_tools"
    assert cluster.admin_url(port) == trusted, "no password file yet: the URL has none"

    cluster.stop()
    cluster.start(port, fast=True)  # our own cluster: upgraded before it serves
    assert cluster.secured() and not cluster.trusts()
    assert stat.S_IMODE(cluster.password_file.stat().st_mode) == 0o600
    assert "no password supplied" in login(trusted)
    secured = cluster.admin_url(port)
    assert login(secured) == "postgres"
    assert "no password supplied" in login(service_url(trusted, "tools"))
    migrate(secured)  # the roles made while trusted get their (derived) passwords
    for own in OWNERS:
        assert login(service_url(secured, own.service)) == own.role


def test_infra_up_restarts_an_older_checkouts_running_cluster_to_secure_it(
    old_cluster: tuple[PostgresCluster, int],
    nats_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cluster, port = old_cluster
    assert cluster.root == tmp_path / "postgres"  # where `infra up` keeps it in the data dir
    (tmp_path / "infra.json").write_text(json.dumps({"postgres_port": port}))
    monkeypatch.setenv("EC_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NATS_URL", nats_url)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    urls = stack.up()
    assert cluster.secured() and urlsplit(urls.database).password == cluster.password()
    assert urlsplit(urls.database).port == port
    assert login(urls.database) == "postgres"
    assert "no password supplied" in login(pg_url(port))
    assert stack.resolve_urls().database == urls.database
