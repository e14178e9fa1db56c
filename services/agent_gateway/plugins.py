"""The voice pipeline for a call, built from its template: STT, TTS, VAD and turn handling.

Provider keys come from the environment (DEEPGRAM_API_KEY, ELEVEN_API_KEY, OPENAI_API_KEY);
constructing the plugins needs no network, using them does.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from contracts.store import Template

#: Used when persistence cannot be reached at call start: the call goes on.
DEFAULT_TEMPLATE = Template(
    template_id="builtin-default", name="built-in default", is_default=True,
    stt_provider="deepgram", stt_model="nova-3", stt_language="en-US",
    tts_provider="elevenlabs", tts_model="eleven_flash_v2_5", tts_voice="21m00Tcm4TlvDq8ikWAM",
    tts_speed=0.95, tts_stability=0.6, llm_provider="openai", llm_model="gpt-4o-mini",
    llm_fallback_model=None, llm_base_url=None, llm_temperature=0.6, llm_max_tokens=180,
    vad_threshold=0.5, vad_min_silence_ms=550, vad_prefix_padding_ms=300,
    turn_detector_enabled=True, turn_detector_model=None, min_endpointing_delay_ms=600,
    max_endpointing_delay_ms=3000, allow_interruptions=True, min_interruption_duration_ms=600,
    false_interruption_timeout_ms=2000, resume_false_interruption=True,
    preemptive_generation=False, est_cost_per_min_cents=0.0,
)  # fmt: skip


@dataclass
class Pipeline:
    stt: Any
    tts: Any
    vad: Any
    turn_handling: dict[str, Any]


def build_stt(t: Template) -> Any:
    if t.stt_provider == "deepgram":
        from livekit.plugins import deepgram

        return deepgram.STT(
            model=t.stt_model,
            language=t.stt_language,
            api_key=os.environ.get("DEEPGRAM_API_KEY", ""),
        )
    if t.stt_provider == "openai":
        from livekit.plugins import openai

        return openai.STT(
            model=t.stt_model, language=t.stt_language.split("-")[0],
            api_key=os.environ.get("OPENAI_API_KEY", ""),
        )  # fmt: skip
    raise ValueError(f"unknown STT provider {t.stt_provider!r}")


def build_tts(t: Template) -> Any:
    if t.tts_provider == "elevenlabs":
        from livekit.plugins import elevenlabs

        return elevenlabs.TTS(
            voice_id=t.tts_voice,
            model=t.tts_model,
            voice_settings=elevenlabs.VoiceSettings(
                stability=t.tts_stability, similarity_boost=0.75, speed=t.tts_speed
            ),
            api_key=os.environ.get("ELEVEN_API_KEY", ""),
        )
    if t.tts_provider == "openai":
        from livekit.plugins import openai

        return openai.TTS(
            model=t.tts_model, voice=t.tts_voice, speed=t.tts_speed,
            api_key=os.environ.get("OPENAI_API_KEY", ""),
        )  # fmt: skip
    raise ValueError(f"unknown TTS provider {t.tts_provider!r}")


def build_vad(t: Template) -> Any:
    from livekit.plugins import silero

    return silero.VAD.load(
        activation_threshold=t.vad_threshold,
        min_silence_duration=t.vad_min_silence_ms / 1000,
        prefix_padding_duration=t.vad_prefix_padding_ms / 1000,
    )


def turn_handling(t: Template) -> dict[str, Any]:
    """AgentSession's ``turn_handling`` options. Preemptive generation stays off: the bus
    bridge would otherwise publish speculative turns (see docs/architecture.md)."""
    options: dict[str, Any] = {
        "endpointing": {
            "min_delay": t.min_endpointing_delay_ms / 1000,
            "max_delay": t.max_endpointing_delay_ms / 1000,
        },
        "interruption": {
            "enabled": t.allow_interruptions,
            "min_duration": t.min_interruption_duration_ms / 1000,
            "false_interruption_timeout": t.false_interruption_timeout_ms / 1000,
            "resume_false_interruption": t.resume_false_interruption,
        },
        "preemptive_generation": {"enabled": False},
    }
    if t.turn_detector_enabled:
        from livekit.agents.inference import TurnDetector

        options["turn_detection"] = TurnDetector()
    else:
        options["turn_detection"] = "vad"
    return options


def build(t: Template, *, with_vad: bool = True) -> Pipeline:
    return Pipeline(
        stt=build_stt(t),
        tts=build_tts(t),
        vad=build_vad(t) if with_vad else None,
        turn_handling=turn_handling(t),
    )
