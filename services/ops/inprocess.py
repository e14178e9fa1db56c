"""Persistence, tools and dialogue in this process, each with its own bus connection and
answering presence (``ops.ping``) as deployed: the conversation tests' stack, and ``eval``'s
own stack for the LLM path."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

from nats.aio.client import Client as NATS

from contracts.access import Identity
from contracts.bus import connect, ensure_streams
from contracts.observability.http import HttpSettings, observe
from contracts.runtime import Start, Stats, Stop, answer_presence
from services.ops.migrate import service_url


def service_env(nats_url: str, database_url: str, env: Mapping[str, str]) -> dict[str, str]:
    """``env`` with the bus and each service's own database role filled in."""
    return {
        **env,
        "NATS_URL": nats_url,
        "EC_TOOLS_DATABASE_URL": service_url(database_url, "tools"),
        "EC_PERSISTENCE_DATABASE_URL": service_url(database_url, "persistence"),
    }


def starters(env: Mapping[str, str], llm: Any = None) -> dict[str, Start]:
    """How each service starts, configured from ``env`` as its ``main`` would be."""
    from services.dialogue import bootstrap as dialogue
    from services.persistence import bootstrap as persistence
    from services.persistence.settings import Settings as PersistenceSettings
    from services.tools import bootstrap as tools
    from services.tools.settings import Settings as ToolsSettings

    async def start_tools(nc: NATS, stats: Stats) -> Stop:
        return (await tools.start(nc, stats, ToolsSettings.from_env(env))).stop

    async def start_persistence(nc: NATS, stats: Stats) -> Stop:
        return await persistence.start(nc, stats, PersistenceSettings.from_env(env))

    async def start_dialogue(nc: NATS, stats: Stats) -> Stop:
        settings = dialogue.Settings.from_env(env)
        return await dialogue.start(nc, stats, settings, dialogue.Overrides(llm=llm))

    return {"persistence": start_persistence, "tools": start_tools, "dialogue": start_dialogue}


@asynccontextmanager
async def services_running(
    nats_url: str,
    database_url: str,
    env: Mapping[str, str] | None = None,
    llm: Any = None,
    http: bool = False,
) -> AsyncIterator[dict[str, Stats]]:
    """The three bus services until the block ends; ``env`` holds their settings (e.g.
    ``EC_DIALOGUE_POLICY=offline`` or ``EC_LLM_MODEL``), the URLs are filled in here; ``llm``
    replaces the dialogue's LLM client (closed by the caller). Yields each service's
    :class:`Stats`; with ``http`` each also serves ``/health/*`` and ``/metrics`` on a free
    loopback port (``stats.health.http_port``)."""
    running: list[tuple[Stop, NATS]] = []
    copies: dict[str, Stats] = {}
    observers: list[Stop] = []
    try:
        admin = await connect(nats_url, "inprocess-streams", Identity.ADMIN)
        try:
            await ensure_streams(admin.jetstream())
        finally:
            await admin.close()
        for service, start in starters(service_env(nats_url, database_url, env or {}), llm).items():
            nc = await connect(nats_url, service)
            stats = copies[service] = Stats(service=service)
            if http:
                # a free loopback port; the rest (EC_HEALTH_STALE_S) from the environment
                local = replace(HttpSettings.from_env(service), port=0, host="127.0.0.1")
                observers.append(await observe(nc, stats, service, local))
            try:
                stop = await start(nc, stats)
            except BaseException:
                await nc.close()
                raise
            stats.health.started = True
            running.append((stop, nc))
            await answer_presence(nc, stats)
        yield copies
    finally:
        for unobserve in observers:
            await unobserve()
        for stop, nc in reversed(running):
            await stop()
            await nc.drain()
