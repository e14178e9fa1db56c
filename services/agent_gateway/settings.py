"""Gateway settings from the environment (see .env.example)."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from contracts.recordings import DEFAULT_BUCKET, RecordingSettings
from contracts.settings import Env
from services.agent_gateway.bridge import Timing


@dataclass(frozen=True)
class Settings:
    nats_url: str
    agent_name: str = "inbound-agent"
    timing: Timing = field(default_factory=Timing)
    #: the LiveKit worker's own Prometheus endpoint (``lk_agents_*`` and, from the worker's
    #: main process, everything in the default registry); None: off
    prometheus_port: int | None = None
    #: ``POST /livekit/webhook`` (webhooks.py) on this port; 0: a free one
    webhook_port: int = 9106
    #: LiveKit's API key and secret (LIVEKIT_API_KEY / LIVEKIT_API_SECRET) verify the webhooks;
    #: without both the receiver is not started
    livekit_api_key: str = field(default="", repr=False)
    livekit_api_secret: str = field(default="", repr=False)
    #: Supabase Storage for recordings (off without SUPABASE_URL + SUPABASE_SERVICE_ROLE_KEY)
    recordings: RecordingSettings = field(default_factory=RecordingSettings)
    #: where a recording waits until it is uploaded (survives a restart of the worker)
    recording_spool: Path = field(
        default_factory=lambda: Path(tempfile.gettempdir()) / "equity-connect-recordings"
    )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Raises :class:`SettingsError` naming the variable when a value is malformed."""
        e, d = Env(env), Timing()
        return cls(
            nats_url=e.require("NATS_URL"),
            agent_name=e.text("EC_GATEWAY_AGENT_NAME", "inbound-agent"),
            prometheus_port=(
                e.integer("EC_GATEWAY_PROMETHEUS_PORT", 0, low=1, high=65535)
                if e.raw("EC_GATEWAY_PROMETHEUS_PORT") else None
            ),
            webhook_port=e.integer("EC_GATEWAY_WEBHOOK_PORT", 9106, low=0, high=65535),
            livekit_api_key=e.text("LIVEKIT_API_KEY", ""),
            livekit_api_secret=e.text("LIVEKIT_API_SECRET", ""),
            recordings=RecordingSettings(
                supabase_url=e.text("SUPABASE_URL", ""),
                service_key=e.text("SUPABASE_SERVICE_ROLE_KEY", ""),
                bucket=e.text("EC_RECORDINGS_BUCKET", DEFAULT_BUCKET),
                upload_attempts=e.integer("EC_RECORDING_UPLOAD_ATTEMPTS", 4, low=1, high=20),
            ),
            recording_spool=Path(e.text("EC_RECORDING_SPOOL_DIR", "")
                                 or Path(tempfile.gettempdir()) / "equity-connect-recordings"),
            timing=Timing(
                filler_after_s=e.number(
                    "EC_GATEWAY_FILLER_MS", d.filler_after_s * 1000, low=1
                ) / 1000,
                reply_timeout_s=e.number(
                    "EC_GATEWAY_REPLY_TIMEOUT_MS", d.reply_timeout_s * 1000, low=1
                ) / 1000,
            ),
        )  # fmt: skip
