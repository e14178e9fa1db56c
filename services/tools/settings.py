"""Settings from the environment (every variable is listed in ``.env.example``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from contracts.settings import Env


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
        """Raises :class:`SettingsError` naming the variable when a value is malformed."""
        e, d = Env(env), cls()
        return cls(
            nats_url=e.text("NATS_URL", d.nats_url),
            database_url=e.text("EC_TOOLS_DATABASE_URL", d.database_url),
            max_in_flight=e.integer("EC_TOOLS_MAX_IN_FLIGHT", d.max_in_flight, low=1),
            max_queued=e.integer("EC_TOOLS_MAX_QUEUED", d.max_queued, low=0),
            deadline_s=e.number("EC_TOOLS_DEADLINE_MS", d.deadline_s * 1000, low=1) / 1000,
            db_pool_size=e.integer("EC_TOOLS_DB_POOL_SIZE", d.db_pool_size, low=1),
            statement_timeout_ms=e.integer(
                "EC_TOOLS_STATEMENT_TIMEOUT_MS", d.statement_timeout_ms, low=1
            ),
            min_lead_minutes=e.integer("EC_TOOLS_MIN_LEAD_MINUTES", d.min_lead_minutes, low=0),
            slot_ttl_minutes=e.integer("EC_TOOLS_SLOT_TTL_MINUTES", d.slot_ttl_minutes, low=1),
            min_equity_ratio=e.number(
                "EC_TOOLS_MIN_EQUITY_RATIO", d.min_equity_ratio, low=0, high=1
            ),
            embedder=e.choice("EC_TOOLS_EMBEDDER", EmbedderKind, d.embedder),
            embeddings_url=e.optional("EC_TOOLS_EMBEDDINGS_URL"),
            embeddings_api_key=e.optional("EC_TOOLS_EMBEDDINGS_API_KEY"),
            embeddings_model=e.text("EC_TOOLS_EMBEDDINGS_MODEL", d.embeddings_model),
            embed_threads=e.integer("EC_TOOLS_EMBED_THREADS", d.embed_threads, low=1),
            kb_min_score=e.number("EC_TOOLS_KB_MIN_SCORE", d.kb_min_score, low=-1, high=1),
            embed_on_start=e.flag("EC_TOOLS_EMBED_ON_START", d.embed_on_start),
        )
