"""Composition root: settings from the environment, real adapters wired into the handlers.
Tests and the benchmark call :func:`start` in-process with fakes where they need them."""

from __future__ import annotations

import asyncio
import gc
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from nats.aio.client import Client as NATS

from contracts.broker import ServiceBroker
from contracts.hotpath import HotPath
from contracts.runtime import Stats, Stop
from contracts.settings import Env
from services.dialogue.adapters.bus import BusPublisher, BusStore, BusTools
from services.dialogue.adapters.clock import SystemClock
from services.dialogue.adapters.kv import BUCKET, TTL_S, KvStates, ensure_bucket
from services.dialogue.adapters.openai_llm import OpenAiLlm
from services.dialogue.context import Deps, Tuning
from services.dialogue.handlers import Dialogue
from services.dialogue.intake import Intake, IntakeConfig
from services.dialogue.language.meaning import MeaningReader, shared_reader
from services.dialogue.ports import Clock, Llm, Publisher, Store, Tools

#: Environment variables that configure the LLM (keys are never logged).
LLM_ENV = (
    "OPENAI_API_KEY", "OPENROUTER_API_KEY", "EC_LLM_API_KEY", "EC_LLM_BASE_URL", "EC_LLM_MODEL",
    "EC_LLM_FALLBACK_MODEL", "EC_DIALOGUE_POLICY", "EC_SCRIPTED_LLM_TTFT_MS",
    "EC_SCRIPTED_LLM_TOKENS_PER_S",
)  # fmt: skip


@dataclass(frozen=True)
class Settings:
    nats_url: str = "nats://127.0.0.1:4222"
    intake: IntakeConfig = field(default_factory=IntakeConfig)
    tuning: Tuning = field(default_factory=Tuning)
    llm_env: dict[str, str] = field(default_factory=dict)
    kv_bucket: str = BUCKET
    kv_ttl_s: float = TTL_S
    replicas: int = 1

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Raises :class:`SettingsError` naming the variable when a value is malformed."""
        env = os.environ if env is None else env
        e = Env(env)
        intake = IntakeConfig(
            pull_loops=e.integer("EC_DIALOGUE_PULL_LOOPS", 4, low=1),
            max_in_flight=e.integer("EC_DIALOGUE_MAX_IN_FLIGHT", 512, low=1),
            ack_wait=e.number("EC_DIALOGUE_ACK_WAIT_S", 1.0, low=0.05),
            max_deliver=e.integer("EC_DIALOGUE_MAX_DELIVER", 5, low=1),
        )
        defaults = Tuning()
        tuning = Tuning(
            filler_after=e.number("EC_DIALOGUE_FILLER_AFTER_S", 0.7, low=0),
            tool_timeout=e.number("EC_DIALOGUE_TOOL_TIMEOUT_S", 4.0, low=0.05),
            tool_hedge_after=e.number(
                "EC_DIALOGUE_TOOL_HEDGE_S", defaults.tool_hedge_after, low=0.01
            ),
            llm_first_token_timeout=e.number(
                "EC_LLM_FIRST_TOKEN_S", defaults.llm_first_token_timeout, low=0.1
            ),
            llm_turn_budget=e.number("EC_LLM_TURN_BUDGET_S", defaults.llm_turn_budget, low=0.3),
            llm_failed_turns=e.integer("EC_LLM_FAILED_TURNS", defaults.llm_failed_turns, low=1),
            llm_cooldown=e.number("EC_LLM_COOLDOWN_S", defaults.llm_cooldown, low=0),
        )
        for name in ("EC_SCRIPTED_LLM_TTFT_MS", "EC_SCRIPTED_LLM_TOKENS_PER_S"):
            e.number(name, 0, low=0)  # checked here, read by the scripted provider
        return cls(
            nats_url=e.text("NATS_URL", "nats://127.0.0.1:4222"),
            intake=intake,
            tuning=tuning,
            llm_env={k: env[k] for k in LLM_ENV if env.get(k)},
            replicas=e.integer("EC_STREAM_REPLICAS", 1, low=1),
        )


@dataclass
class Overrides:
    """Fakes for tests and the benchmark; ``None`` means the real adapter."""

    tools: Tools | None = None
    store: Store | None = None
    llm: Llm | None = None
    clock: Clock | None = None
    publisher: Publisher | None = None
    on_timing: Callable[[str, float, float], None] | None = None


def tune_gc() -> None:
    """Fewer, shorter collector pauses on the reply path: everything loaded at start-up is
    frozen out of collection, and young objects are collected less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


def build_llm(env: Mapping[str, str]) -> Llm:
    """The real provider client, or — only when ``EC_DIALOGUE_POLICY=scripted`` — the
    benchmark's scripted provider (``fakes/provider.py``)."""
    if env.get("EC_DIALOGUE_POLICY", "").lower() == "scripted":
        from services.dialogue.fakes.provider import from_env

        return from_env(dict(env))
    return OpenAiLlm()


#: building the learned reader: loading the model and, on a cold cache, embedding its examples
MEANING_BUILD_S = 180.0


async def _meaning_reader() -> MeaningReader:
    try:
        return await asyncio.wait_for(asyncio.to_thread(shared_reader), MEANING_BUILD_S)
    except TimeoutError:
        raise RuntimeError(
            f"the dialogue's meaning reader was not built within {MEANING_BUILD_S:.0f} s "
            "(the MiniLM model and the labelled examples' vectors)"
        ) from None


async def start(
    nc: NATS, stats: Stats, settings: Settings, overrides: Overrides | None = None
) -> Stop:
    over = overrides or Overrides()
    js = nc.jetstream()
    broker = ServiceBroker("dialogue", connection=nc)  # barge-ins, hang-ups
    hot = HotPath(nc, "dialogue")  # the turn path (contracts.hotpath says why)
    kv = await ensure_bucket(js, settings.kv_bucket, settings.kv_ttl_s, settings.replicas)
    llm = over.llm or build_llm(settings.llm_env)
    deps = Deps(
        tools=over.tools
        or BusTools(hot, settings.tuning.tool_timeout, settings.tuning.tool_hedge_after),
        store=over.store or BusStore(hot),
        states=KvStates(kv),
        publisher=over.publisher or BusPublisher(hot, js),
        clock=over.clock or SystemClock(),
        llm=llm,
        meaning=await _meaning_reader(),
        llm_env=dict(settings.llm_env),
        tuning=settings.tuning,
    )
    dialogue = Dialogue(deps, on_timing=over.on_timing)
    intake = Intake(hot, dialogue, stats, settings.intake)
    intake.register(broker)
    await broker.start()
    await intake.start(stats.health)  # its fetches beat the readiness heartbeat

    async def stop() -> None:
        await intake.stop()  # stop taking work; turns in progress finish (up to 5 s)
        await broker.stop()
        if isinstance(llm, OpenAiLlm):
            await llm.close()

    return stop
