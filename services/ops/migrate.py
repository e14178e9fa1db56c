"""``equity-connect migrate``: one schema and one login role per owning service, plain SQL
migrations applied in order as that role, with a record of what was applied.

Runs as the admin role of ``DATABASE_URL`` (needs CREATEROLE and the right to create the
``vector`` and ``btree_gist`` extensions). Safe to run twice, and concurrently (advisory lock).

A role's password is ``EC_<SERVICE>_DB_PASSWORD``, else (when the admin URL has a password, as
the project's own cluster's does) one derived from the admin's password, so the admin URL alone
finds it again; it is stored as a SCRAM-SHA-256 verifier computed here (the server never sees
it in clear).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
from psycopg import sql

from services.ops.infra import InfraError

SERVICES_DIR = Path(__file__).resolve().parents[1]
LOCK_KEY = 0x45_43_4D_49  # "ECMI"


@dataclass(frozen=True)
class Owner:
    """A service that owns a schema: its login role and its migrations folder."""

    service: str
    schema: str
    role: str

    @property
    def migrations(self) -> Path:
        return SERVICES_DIR / self.service / "migrations"

    def password_env(self) -> str:
        return f"EC_{self.service.upper()}_DB_PASSWORD"


OWNERS = (
    Owner(service="tools", schema="tools", role="ec_tools"),
    Owner(service="persistence", schema="persistence", role="ec_persistence"),
)


def owner(service: str) -> Owner:
    for candidate in OWNERS:
        if candidate.service == service:
            return candidate
    raise KeyError(service)


def derived_password(admin_password: str, role: str) -> str:
    """A role's password computed from the admin's: nobody has to store it."""
    digest = hmac.new(admin_password.encode(), f"equity-connect/{role}".encode(), "sha256")
    return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")


def admin_password(admin_url: str) -> str | None:
    """The password written in the admin URL (not one libpq finds in PGPASSWORD or .pgpass)."""
    password = psycopg.conninfo.conninfo_to_dict(admin_url).get("password")
    return str(password) if password else None


def role_password(own: Owner, admin_secret: str | None) -> str | None:
    """``EC_<SERVICE>_DB_PASSWORD``, else derived from the admin's password, else none (a
    server that trusts its logins)."""
    explicit = os.environ.get(own.password_env())
    if explicit:
        return explicit
    return derived_password(admin_secret, own.role) if admin_secret else None


def service_url(admin_url: str, service: str) -> str:
    """The DSN a service uses: same server and database, its own role (and password)."""
    own = owner(service)
    parts = urlsplit(admin_url)
    password = role_password(own, admin_password(admin_url))
    userinfo = quote(own.role) + (f":{quote(password)}" if password else "")
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{userinfo}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


@dataclass(frozen=True)
class Applied:
    service: str
    version: str


def migrate(admin_url: str) -> list[Applied]:
    """Bootstrap roles/schemas/extensions, then apply pending files; returns what was applied."""
    applied: list[Applied] = []
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
            conn.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
            try:
                _bootstrap(conn, admin_password(admin_url))
                for own in OWNERS:
                    applied += _apply(conn, own)
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))
    except psycopg.OperationalError as err:
        raise InfraError(f"migrate: cannot connect to the database: {_line(err)}") from err
    return applied


def _bootstrap(conn: psycopg.Connection, admin_secret: str | None) -> None:
    database = conn.execute("SELECT current_database()").fetchone()[0]  # type: ignore[index]
    try:
        conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
        conn.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    except psycopg.Error as err:
        raise InfraError(f"migrate: cannot create extensions: {_line(err)}") from err
    conn.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    for own in OWNERS:
        role = sql.Identifier(own.role)
        created = _create_role(conn, own)
        _set_password(conn, own, admin_secret, created)
        # the admin must be able to SET ROLE to apply migrations as the owner
        conn.execute(sql.SQL("GRANT {} TO CURRENT_USER").format(role))
        conn.execute(
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), role)
        )
        schema = sql.Identifier(own.schema)
        conn.execute(
            sql.SQL("CREATE SCHEMA IF NOT EXISTS {} AUTHORIZATION {}").format(schema, role)
        )
        conn.execute(sql.SQL("REVOKE ALL ON SCHEMA {} FROM PUBLIC").format(schema))
        conn.execute(
            sql.SQL("ALTER ROLE {} IN DATABASE {} SET search_path = {}, public").format(
                role, sql.Identifier(database), schema
            )
        )
        conn.execute(
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {}.schema_migrations ("
                " version text PRIMARY KEY, checksum text NOT NULL,"
                " applied_at timestamptz NOT NULL DEFAULT now())"
            ).format(schema)
        )
        conn.execute(sql.SQL("ALTER TABLE {}.schema_migrations OWNER TO {}").format(schema, role))


def _create_role(conn: psycopg.Connection, own: Owner) -> bool:
    """Create the login role unless it exists; whether this run created it."""
    exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (own.role,)).fetchone()
    if exists:
        return False
    try:
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN NOINHERIT").format(sql.Identifier(own.role)))
    except psycopg.errors.DuplicateObject:
        return False  # created concurrently in another database of the cluster
    except psycopg.Error as err:
        raise InfraError(f"migrate: cannot create role {own.role}: {_line(err)}") from err
    return True


def _set_password(
    conn: psycopg.Connection, own: Owner, admin_secret: str | None, created: bool
) -> None:
    """``EC_<SERVICE>_DB_PASSWORD`` always; a derived password only on a role that has none
    yet (a run without the variable leaves a password given earlier as it is)."""
    explicit = bool(os.environ.get(own.password_env()))
    password = role_password(own, admin_secret)
    if password is None or not (explicit or created or _has_no_password(conn, own.role)):
        return
    verifier = conn.pgconn.encrypt_password(password.encode(), own.role.encode(), b"scram-sha-256")
    conn.execute(
        sql.SQL("ALTER ROLE {} PASSWORD {}").format(
            sql.Identifier(own.role), sql.Literal(verifier.decode())
        )
    )


def _has_no_password(conn: psycopg.Connection, role: str) -> bool:
    """Only a superuser may look (pg_authid); anyone else leaves the role as it is."""
    try:
        row = conn.execute(
            "SELECT rolpassword IS NULL FROM pg_authid WHERE rolname = %s", (role,)
        ).fetchone()
    except psycopg.errors.InsufficientPrivilege:
        return False
    return bool(row and row[0])


def _apply(conn: psycopg.Connection, own: Owner) -> list[Applied]:
    schema = sql.Identifier(own.schema)
    rows = conn.execute(
        sql.SQL("SELECT version, checksum FROM {}.schema_migrations").format(schema)
    ).fetchall()
    done: dict[str, str] = {str(r[0]): str(r[1]) for r in rows}
    applied: list[Applied] = []
    for path in sorted(own.migrations.glob("*.sql")):
        version = path.stem
        text = path.read_text()
        checksum = hashlib.sha256(text.encode()).hexdigest()
        if version in done:
            if done[version] != checksum:
                raise InfraError(
                    f"migrate: {own.service}/{path.name} changed after it was applied; "
                    "add a new migration instead of editing an applied one"
                )
            continue
        try:
            with conn.transaction():
                conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(own.role)))
                conn.execute(sql.SQL("SET LOCAL search_path = {}, public").format(schema))
                conn.execute(text.encode())
                conn.execute(
                    sql.SQL(
                        "INSERT INTO {}.schema_migrations (version, checksum) VALUES (%s, %s)"
                    ).format(schema),
                    (version, checksum),
                )
        except psycopg.Error as err:
            raise InfraError(f"migrate: {own.service}/{path.name} failed: {_line(err)}") from err
        applied.append(Applied(own.service, version))
    return applied


def _line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__
