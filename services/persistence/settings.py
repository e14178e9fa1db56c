"""Settings from the environment (see .env.example)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from contracts.recordings import DEFAULT_BUCKET, RecordingSettings
from contracts.settings import Env, SettingsError
from contracts.webhooks import secret_key


def recording_settings(e: Env) -> RecordingSettings:
    """Storage, as persistence uses it: signing URLs and deleting old recordings."""
    return RecordingSettings(
        supabase_url=e.text("SUPABASE_URL", ""),
        service_key=e.text("SUPABASE_SERVICE_ROLE_KEY", ""),
        bucket=e.text("EC_RECORDINGS_BUCKET", DEFAULT_BUCKET),
        url_expiry_s=e.integer("EC_RECORDING_URL_EXPIRY_S", 3600, low=60, high=7 * 86400),
        retention_days=e.integer("EC_RETENTION_DAYS", 365, low=1, high=36500),
    )


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
    #: webhooks out: endpoints (none = off), their ``whsec_`` secret, how many attempts
    webhook_urls: tuple[str, ...] = ()
    webhook_secret: str = ""
    #: an endpoint's own secret (``EC_WEBHOOK_SECRETS``), else ``webhook_secret``
    webhook_endpoint_secrets: dict[str, str] = field(default_factory=dict)
    webhook_max_attempts: int = 10
    analysis_consumer: str = "persistence-analysis"
    analysis_llm_model: str = ""  # empty: the deterministic evaluator
    analysis_llm_base_url: str = ""
    analysis_llm_api_key: str = ""
    analysis_llm_timeout_s: float = 30.0
    llm_price_per_1k_tokens_cents: float = 0.0
    #: Supabase Storage (signed recording URLs in webhooks; ``calls recording``, retention)
    recordings: RecordingSettings = field(default_factory=RecordingSettings)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Raises :class:`SettingsError` naming the variable when a value is malformed."""
        e, d = Env(env), cls
        urls = tuple(u.strip() for u in e.text("EC_WEBHOOK_URLS").split(",") if u.strip())
        for url in urls:
            if not url.startswith(("http://", "https://")):
                raise SettingsError("EC_WEBHOOK_URLS", f"not an http(s) URL: {url!r}")
        secret = e.text("EC_WEBHOOK_SECRET")
        own = [s.strip() for s in e.text("EC_WEBHOOK_SECRETS").split(",")]
        if own == [""]:
            own = []
        if own and len(own) != len(urls):
            raise SettingsError("EC_WEBHOOK_SECRETS", f"{len(own)} secrets for {len(urls)} "
                                "endpoints: one per EC_WEBHOOK_URLS entry, in order")  # fmt: skip
        for one in own:
            try:
                secret_key(one)
            except ValueError as err:
                raise SettingsError("EC_WEBHOOK_SECRETS", str(err)) from None
        if own and not secret:
            secret = own[0]  # every endpoint has its own: the shared one is not needed
        if urls:
            try:
                secret_key(secret)
            except ValueError as err:
                raise SettingsError("EC_WEBHOOK_SECRET", str(err)) from None
        return cls(
            nats_url=e.require("NATS_URL"),
            database_url=e.require("EC_PERSISTENCE_DATABASE_URL"),
            batch_size=e.integer("EC_PERSISTENCE_BATCH_SIZE", d.batch_size, low=1),
            batch_wait_s=e.number(
                "EC_PERSISTENCE_BATCH_WAIT_MS", d.batch_wait_s * 1000, low=0
            ) / 1000,
            ack_wait_s=e.number("EC_PERSISTENCE_ACK_WAIT_S", d.ack_wait_s, low=0.5),
            read_pool_size=e.integer("EC_PERSISTENCE_READ_POOL", d.read_pool_size, low=1),
            config_cache_s=e.number("EC_PERSISTENCE_CONFIG_CACHE_S", d.config_cache_s, low=0),
            memory_cache_s=e.number("EC_PERSISTENCE_MEMORY_CACHE_S", d.memory_cache_s, low=0),
            webhook_urls=urls,
            webhook_secret=secret,
            webhook_endpoint_secrets=dict(zip(urls, own, strict=False)),  # own: [] or one each
            webhook_max_attempts=e.integer("EC_WEBHOOK_MAX_ATTEMPTS", d.webhook_max_attempts,
                                           low=1),
            analysis_llm_model=e.text("EC_ANALYSIS_LLM_MODEL"),
            analysis_llm_base_url=e.text("EC_ANALYSIS_LLM_BASE_URL"),
            analysis_llm_api_key=e.text("EC_ANALYSIS_LLM_API_KEY"),
            analysis_llm_timeout_s=e.number(
                "EC_ANALYSIS_LLM_TIMEOUT_S", d.analysis_llm_timeout_s, low=1
            ),
            llm_price_per_1k_tokens_cents=e.number(
                "EC_LLM_PRICE_PER_1K_TOKENS_CENTS", d.llm_price_per_1k_tokens_cents, low=0
            ),
            recordings=recording_settings(e),
        )  # fmt: skip
