"""Gateway settings from the environment (see .env.example)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from services.agent_gateway.bridge import Timing


@dataclass(frozen=True)
class Settings:
    nats_url: str
    agent_name: str = "inbound-agent"
    timing: Timing = field(default_factory=Timing)

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            nats_url=env["NATS_URL"],
            agent_name=env.get("EC_GATEWAY_AGENT_NAME", "inbound-agent"),
            timing=Timing(
                filler_after_s=float(env.get("EC_GATEWAY_FILLER_MS", "1500")) / 1000,
                reply_timeout_s=float(env.get("EC_GATEWAY_REPLY_TIMEOUT_MS", "8000")) / 1000,
            ),
        )
