"""Test harness: a private nats-server (JetStream) and a private Postgres (pgvector), started
by the project's own infra code on free ports — or the ones named by NATS_URL / DATABASE_URL.
Tables are emptied and streams recreated between tests that use them."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

from contracts.bus import connect, ensure_streams, stream_specs
from services.dialogue.fakes.openai_server import FakeOpenAI
from services.ops.infra import NatsServer, PostgresCluster, free_port
from services.ops.migrate import OWNERS, migrate, service_url
from services.ops.stack import create_database

# every service copy a test starts (in-process or a subprocess inheriting this environment)
# serves /health and /metrics on a free port: no clash between copies or concurrent runs
os.environ.setdefault("EC_HTTP_PORT", "0")


@pytest.fixture(scope="session", autouse=True)
def meaning_vectors() -> None:
    """The dialogue's learned reader, built once for the run: its examples' vectors land in the
    user's cache, so every dialogue a test starts (in-process or a subprocess with a private
    data dir) loads them instead of embedding ~1,500 lines again."""
    from services.dialogue.language.meaning import shared_reader

    shared_reader()


@pytest.fixture(scope="session")
def infra_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("infra")


@pytest.fixture(scope="session")
def nats_url(infra_root: Path) -> Iterator[str]:
    external = os.environ.get("NATS_URL")
    if external:
        yield external
        return
    server = NatsServer(infra_root / "nats")
    port = server.start()
    # the shipped permissions (deploy/nats/auth.conf): every service a test starts, in-process
    # or as a subprocess, connects as its own identity; the tests' own clients as the admin
    os.environ.update(server.credentials())
    url = f"nats://127.0.0.1:{port}"
    asyncio.run(_declare_streams(url))
    try:
        yield url
    finally:
        server.stop()


async def _declare_streams(url: str) -> None:
    conn = await connect(url, "tests-streams")
    try:
        await ensure_streams(conn.jetstream())
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def admin_db_url(infra_root: Path) -> Iterator[str]:
    """A migrated database of our own: a private cluster, or a fresh database in DATABASE_URL."""
    yield from migrated_database(infra_root / "postgres")


def migrated_database(root: Path) -> Iterator[str]:
    """A private Postgres cluster under ``root`` (or a fresh database in ``DATABASE_URL``),
    migrated; yields its admin URL and removes it afterwards."""
    external = os.environ.get("DATABASE_URL")
    if external:
        name = f"ec_test_{uuid.uuid4().hex[:8]}"
        create_database(external, name)
        url = _on_database(external, name)
        migrate(url)
        try:
            yield url
        finally:
            with psycopg.connect(external, autocommit=True) as conn:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
        return
    cluster = PostgresCluster(root)
    port = free_port()
    cluster.start(port, fast=True)
    create_database(cluster.admin_url(port, "postgres"), "equity_connect")
    url = cluster.admin_url(port)  # the superuser, with its password: no login is trusted
    migrate(url)
    try:
        yield url
    finally:
        cluster.stop()


def _on_database(url: str, name: str) -> str:
    """``url`` naming database ``name`` instead, still a URL (``service_url`` reads URLs)."""
    parts = urlsplit(url)
    if not parts.scheme:
        return psycopg.conninfo.make_conninfo(url, dbname=name)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _truncate_all(admin_url: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        for own in OWNERS:
            tables = [
                row[0]
                for row in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = %s"
                    " AND tablename <> 'schema_migrations'",
                    (own.schema,),
                ).fetchall()
            ]
            if tables:
                conn.execute(
                    sql.SQL("TRUNCATE {} RESTART IDENTITY CASCADE").format(
                        sql.SQL(", ").join(sql.Identifier(own.schema, t) for t in tables)
                    )
                )


@pytest.fixture
def db(admin_db_url: str) -> str:
    """An empty, migrated database; returns the admin URL."""
    _truncate_all(admin_db_url)
    return admin_db_url


@pytest.fixture
def tools_db(db: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(service_url(db, "tools"), autocommit=True) as conn:
        yield conn


@pytest.fixture
def persistence_db(db: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(service_url(db, "persistence"), autocommit=True) as conn:
        yield conn


@pytest.fixture
async def nc(nats_url: str) -> AsyncIterator[object]:
    """A connection with every stream freshly declared (and emptied)."""
    conn = await connect(nats_url, "tests")
    js = conn.jetstream()
    for spec in stream_specs():
        try:
            await js.delete_stream(spec.name)
        except Exception:
            pass
    await ensure_streams(js)
    try:
        yield conn
    finally:
        await conn.drain()


# a local OpenAI-compatible server (the dialogue's LLM, the post-call analysis): the real
# ``openai`` client runs against it
@pytest.fixture
async def fake_openai() -> AsyncIterator[FakeOpenAI]:
    server = FakeOpenAI()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
async def receiver() -> AsyncIterator[object]:
    """A local webhook receiver (tests/persistence/receiver.py), listening."""
    from tests.persistence.receiver import Receiver

    r = Receiver()
    await r.start()
    try:
        yield r
    finally:
        await r.stop()
