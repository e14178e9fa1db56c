"""Settings from the environment (every variable is listed in ``.env.example``)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class EmbedderKind(StrEnum):
    ONNX = "onnx"  # the local MiniLM model shipped in a wheel: no network
    OPENAI = "openai"  # any OpenAI-compatible /v1/embeddings endpoint
    HASH = "hash"  # a crude offline stand-in, for tests only


@dataclass(frozen=True)
class Settings:
    nats_url: str = "nats://127.0.0.1:4222"
    database_url: str = ""
    #: requests one copy works on at once, per tool; more wait (up to ``max_queued``)
    max_in_flight: int = 32
    max_queued: int = 1000
    #: a tool call not answered within this answers a timeout error
    deadline_s: float = 3.0
    db_pool_size: int = 10
    statement_timeout_ms: int = 5000
    #: no slot starts sooner than this after now
    min_lead_minutes: int = 120
    #: how long an offered slot id stays bookable
    slot_ttl_minutes: int = 60
    min_equity_ratio: float = 0.5
    embedder: EmbedderKind = EmbedderKind.ONNX
    embeddings_url: str | None = None
    embeddings_api_key: str | None = None
    embeddings_model: str = "text-embedding-3-small"
    embed_threads: int = 1
    kb_min_score: float = 0.40
    embed_on_start: bool = True

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        d = cls()
        return cls(
            nats_url=env.get("NATS_URL") or d.nats_url,
            database_url=env.get("EC_TOOLS_DATABASE_URL") or d.database_url,
            max_in_flight=int(env.get("EC_TOOLS_MAX_IN_FLIGHT") or d.max_in_flight),
            max_queued=int(env.get("EC_TOOLS_MAX_QUEUED") or d.max_queued),
            deadline_s=float(env.get("EC_TOOLS_DEADLINE_MS") or d.deadline_s * 1000) / 1000,
            db_pool_size=int(env.get("EC_TOOLS_DB_POOL_SIZE") or d.db_pool_size),
            statement_timeout_ms=int(
                env.get("EC_TOOLS_STATEMENT_TIMEOUT_MS") or d.statement_timeout_ms
            ),
            min_lead_minutes=int(env.get("EC_TOOLS_MIN_LEAD_MINUTES") or d.min_lead_minutes),
            slot_ttl_minutes=int(env.get("EC_TOOLS_SLOT_TTL_MINUTES") or d.slot_ttl_minutes),
            min_equity_ratio=float(env.get("EC_TOOLS_MIN_EQUITY_RATIO") or d.min_equity_ratio),
            embedder=EmbedderKind(env.get("EC_TOOLS_EMBEDDER") or d.embedder),
            embeddings_url=env.get("EC_TOOLS_EMBEDDINGS_URL") or None,
            embeddings_api_key=env.get("EC_TOOLS_EMBEDDINGS_API_KEY") or None,
            embeddings_model=env.get("EC_TOOLS_EMBEDDINGS_MODEL") or d.embeddings_model,
            embed_threads=int(env.get("EC_TOOLS_EMBED_THREADS") or d.embed_threads),
            kb_min_score=float(env.get("EC_TOOLS_KB_MIN_SCORE") or d.kb_min_score),
            embed_on_start=(env.get("EC_TOOLS_EMBED_ON_START") or "1").lower()
            not in ("0", "false", "no"),
        )
