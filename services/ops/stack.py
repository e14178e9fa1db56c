"""``equity-connect infra up|down|status``: the project's own NATS and Postgres, or the ones
named by ``NATS_URL`` / ``DATABASE_URL``; and, when ``SUPABASE_URL`` is not set, a FAKE
Supabase Storage server for call recordings (:mod:`services.ops.fake_storage`). Ports are
recorded in ``<data dir>/infra.json``."""

from __future__ import annotations

import asyncio
import json
import os
from dataclasses import dataclass
from pathlib import Path

import psycopg

from contracts.access import Identity
from contracts.bus import BusUnavailable, connect_once, ensure_streams
from services.ops.infra import (
    PG_DATABASE,
    STATE_FILE,
    FakeStorageProcess,
    InfraError,
    NatsServer,
    PostgresCluster,
    accepts,
    choose_port,
)
from services.ops.paths import data_dir


@dataclass
class Urls:
    nats: str
    database: str
    #: the fake Storage's base URL; empty when ``SUPABASE_URL`` names a real one
    storage: str = ""


def _state_path(root: Path) -> Path:
    return root / STATE_FILE


def read_state(root: Path | None = None) -> dict[str, int]:
    path = _state_path(root or data_dir())
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return {k: int(v) for k, v in data.items() if isinstance(v, int)}


def write_state(state: dict[str, int], root: Path | None = None) -> None:
    path = _state_path(root or data_dir())
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=2))
    tmp.replace(path)


def _fake_storage(root: Path | None = None) -> FakeStorageProcess:
    return FakeStorageProcess((root or data_dir()) / "storage")


def _local_storage_url(state: dict[str, int]) -> str:
    port = state.get("storage_port")
    return f"http://127.0.0.1:{port}" if port else ""


def storage_is_external(state: dict[str, int] | None = None) -> bool:
    """Whether ``SUPABASE_URL`` names a Storage other than the local fake (which
    :func:`export_storage` may have put there itself)."""
    given = (os.environ.get("SUPABASE_URL") or "").rstrip("/")
    return bool(given) and given != _local_storage_url(read_state() if state is None else state)


def export_storage(root: Path | None = None) -> None:
    """The local fake Storage's URL and key as ``SUPABASE_URL`` / ``SUPABASE_SERVICE_ROLE_KEY``,
    for this command and the service copies it starts. Nothing when ``SUPABASE_URL`` names
    another Storage or the fake is not recorded as running."""
    root = root or data_dir()
    state = read_state(root)
    if storage_is_external(state) or "storage_port" not in state:
        return
    fake = _fake_storage(root)
    if not fake.running():
        return
    os.environ["SUPABASE_URL"] = _local_storage_url(state)
    os.environ["SUPABASE_SERVICE_ROLE_KEY"] = fake.key()


def export_credentials(server: NatsServer | None = None) -> None:
    """The local server's identities' passwords into the environment, for this command and
    the service copies it starts (``EC_NATS_PASSWORD_*`` set by hand are for a NATS_URL).
    Nothing when NATS_URL names another server or no local one was ever started. The local
    fake Storage's URL and key too (:func:`export_storage`)."""
    export_storage()
    if server is None:
        if os.environ.get("NATS_URL") or "nats_port" not in read_state():
            return
        server = NatsServer(data_dir() / "nats")
    os.environ.update(server.credentials())


def resolve_urls(need_database: bool = True) -> Urls:
    """URLs for every command: the environment first, else what ``infra up`` recorded. A
    service that owns no tables (dialogue, gateway) needs only NATS: ``database`` may then be
    empty."""
    state = read_state()
    nats_url = os.environ.get("NATS_URL") or (
        f"nats://127.0.0.1:{state['nats_port']}" if "nats_port" in state else ""
    )
    db_url = os.environ.get("DATABASE_URL") or (
        _cluster().admin_url(state["postgres_port"]) if "postgres_port" in state else ""
    )
    if not nats_url or (need_database and not db_url):
        raise InfraError("infrastructure is not running: run `equity-connect infra up` first")
    return Urls(nats=nats_url, database=db_url)


def up() -> Urls:
    root = data_dir()
    state = read_state(root)
    external_db = os.environ.get("DATABASE_URL")
    if external_db:
        check_database(external_db)  # before starting anything
    nats_url = os.environ.get("NATS_URL")
    if not nats_url:
        server = NatsServer(root / "nats")
        export_credentials(server)
        port = state.get("nats_port")
        if not (server.running() and port and accepts(port)):
            server.stop()
            port = server.start(choose_port("EC_NATS_PORT", port, "nats"))
            state["nats_port"] = port
            write_state(state, root)
        nats_url = f"nats://127.0.0.1:{port}"
    db_url = os.environ.get("DATABASE_URL")
    if not db_url:
        cluster = _cluster(root)
        port = state.get("postgres_port")
        # a cluster an older checkout started (trust, no password) restarts to get both
        if not (cluster.running() and port and accepts(port) and cluster.secured()):
            cluster.stop()
            port = choose_port("EC_POSTGRES_PORT", port, "postgres")
            cluster.start(port)
            state["postgres_port"] = port
            write_state(state, root)
        create_database(cluster.admin_url(port, "postgres"), PG_DATABASE)
        db_url = cluster.admin_url(port)
    check_database(db_url)
    asyncio.run(declare_streams(nats_url))
    return Urls(nats=nats_url, database=db_url, storage=start_storage(root))


def start_storage(root: Path | None = None) -> str:
    """The local fake Storage, started unless it runs or ``SUPABASE_URL`` names another one;
    its base URL ('' for an external one), exported with its key (:func:`export_storage`)."""
    root = root or data_dir()
    state = read_state(root)
    if storage_is_external(state):
        return ""
    fake = _fake_storage(root)
    port = state.get("storage_port")
    if not (fake.running() and port and accepts(port)):
        fake.stop()
        port = fake.start(choose_port("EC_STORAGE_PORT", port, "storage"))
        state = read_state(root)
        state["storage_port"] = port
        write_state(state, root)
    export_storage(root)
    return _local_storage_url(state)


def down() -> None:
    root = data_dir()
    if not os.environ.get("NATS_URL"):
        NatsServer(root / "nats").stop()
    if not os.environ.get("DATABASE_URL"):
        _cluster(root).stop()
    if not storage_is_external(read_state(root)):
        _fake_storage(root).stop()


def status() -> dict[str, str]:
    root = data_dir()
    state = read_state(root)
    out: dict[str, str] = {}
    if os.environ.get("NATS_URL"):
        out["nats"] = "external (NATS_URL)"
    else:
        port = state.get("nats_port")
        alive = NatsServer(root / "nats").running() and bool(port) and accepts(port or 0)
        out["nats"] = f"running on 127.0.0.1:{port}" if alive else "stopped"
    if os.environ.get("DATABASE_URL"):
        out["postgres"] = "external (DATABASE_URL)"
    else:
        port = state.get("postgres_port")
        alive = _cluster(root).running() and bool(port) and accepts(port or 0)
        out["postgres"] = f"running on 127.0.0.1:{port}" if alive else "stopped"
    if storage_is_external(state):
        out["storage"] = "external (SUPABASE_URL)"
    else:
        port = state.get("storage_port")
        alive = _fake_storage(root).running() and bool(port) and accepts(port or 0)
        out["storage"] = (
            f"running on 127.0.0.1:{port} (fake Supabase Storage)" if alive else "stopped"
        )
    out["data_dir"] = str(root)
    return out


def _cluster(root: Path | None = None) -> PostgresCluster:
    """The project's own cluster; its superuser password lives beside it (0600)."""
    return PostgresCluster((root or data_dir()) / "postgres")


def create_database(admin_url: str, name: str) -> None:
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
            ).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as err:
        raise InfraError(f"postgres: cannot create database {name}: {_first_line(err)}") from err


def check_database(url: str) -> None:
    """Fail with one clear line when the database is unreachable or lacks pgvector."""
    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            row = conn.execute(
                "SELECT 1 FROM pg_available_extensions WHERE name = 'vector'"
            ).fetchone()
    except psycopg.Error as err:
        raise InfraError(f"cannot connect to the database: {_first_line(err)}") from err
    if row is None:
        raise InfraError("the database has no pgvector extension available (need `vector`)")


async def declare_streams(url: str) -> None:
    """Create or update the streams, as the admin (services may only use them)."""
    try:
        nc = await connect_once(url, "infra", timeout=2.0, identity=Identity.ADMIN)
    except BusUnavailable as err:
        raise InfraError(str(err)) from err
    try:
        await ensure_streams(nc.jetstream())
    finally:
        await nc.close()


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__
