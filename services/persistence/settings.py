"""Settings from the environment (see .env.example)."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    nats_url: str
    database_url: str
    batch_size: int = 500
    batch_wait_s: float = 0.1
    ack_wait_s: float = 30.0
    max_ack_pending: int = 50_000
    read_pool_size: int = 4
    config_cache_s: float = 5.0
    memory_cache_s: float = 1.0
    consumer: str = "persistence-writer"
    stop_timeout_s: float = 10.0

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            nats_url=env["NATS_URL"],
            database_url=env["EC_PERSISTENCE_DATABASE_URL"],
            batch_size=int(env.get("EC_PERSISTENCE_BATCH_SIZE", "500")),
            batch_wait_s=float(env.get("EC_PERSISTENCE_BATCH_WAIT_MS", "100")) / 1000,
            read_pool_size=int(env.get("EC_PERSISTENCE_READ_POOL", "4")),
            config_cache_s=float(env.get("EC_PERSISTENCE_CONFIG_CACHE_S", "5")),
            memory_cache_s=float(env.get("EC_PERSISTENCE_MEMORY_CACHE_S", "1")),
        )
