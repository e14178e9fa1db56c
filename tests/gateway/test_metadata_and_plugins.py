"""Who is calling (from whatever LiveKit gives us) and the pipeline a template asks for."""

from __future__ import annotations

import json
import logging

import msgspec
import pytest

from contracts.calls import CallDirection
from services.agent_gateway import metadata, plugins


def test_dispatch_metadata_comes_first() -> None:
    info = metadata.parse(
        job_metadata=json.dumps({"caller_number": "+12065550311", "dialled_number": "8005550242"}),
        participant_attributes={"sip.phoneNumber": "+13125550000"},
        room_name="call-_+15555550000_abc",
    )
    assert info.caller_number == "+12065550311"
    assert info.dialled_number == "+18005550242"
    assert info.direction is CallDirection.INBOUND


def test_sip_attributes_when_the_job_has_no_metadata() -> None:
    info = metadata.parse(
        participant_attributes={
            "sip.phoneNumber": "(206) 555-0311",
            "sip.trunkPhoneNumber": "+18005550242",
        },
        room_metadata=json.dumps({"direction": "outbound"}),
    )
    assert (info.caller_number, info.dialled_number) == ("+12065550311", "+18005550242")
    assert info.direction is CallDirection.OUTBOUND


def test_room_name_is_the_last_resort() -> None:
    assert metadata.parse(room_name="call-_+12065550311_x7Yz").caller_number == "+12065550311"


def test_malformed_metadata_is_skipped_with_a_warning_without_pii(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        info = metadata.parse(job_metadata="{not json", participant_metadata='["a list"]')
    assert info.caller_number is None and info.dialled_number is None
    assert "not JSON" in caplog.text and "not an object" in caplog.text
    assert "unknown caller" in caplog.text


def test_default_template_builds_deepgram_elevenlabs_silero(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DEEPGRAM_API_KEY", "dummy-deepgram-key")
    monkeypatch.setenv("ELEVEN_API_KEY", "dummy-eleven-key")
    pipeline = plugins.build(plugins.DEFAULT_TEMPLATE)
    assert type(pipeline.stt).__module__.startswith("livekit.plugins.deepgram")
    assert type(pipeline.tts).__module__.startswith("livekit.plugins.elevenlabs")
    assert type(pipeline.vad).__module__.startswith("livekit.plugins.silero")


def test_openai_providers_and_turn_settings_come_from_the_template(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "dummy-openai-key")
    template = msgspec.structs.replace(
        plugins.DEFAULT_TEMPLATE,
        stt_provider="openai",
        stt_model="gpt-4o-mini-transcribe",
        tts_provider="openai",
        tts_model="gpt-4o-mini-tts",
        tts_voice="shimmer",
        min_endpointing_delay_ms=900,
        max_endpointing_delay_ms=4000,
        allow_interruptions=False,
        turn_detector_enabled=False,
    )
    pipeline = plugins.build(template, with_vad=False)
    assert type(pipeline.stt).__module__.startswith("livekit.plugins.openai")
    assert type(pipeline.tts).__module__.startswith("livekit.plugins.openai")
    turns = pipeline.turn_handling
    assert turns["endpointing"] == {"min_delay": 0.9, "max_delay": 4.0}
    assert turns["interruption"]["enabled"] is False
    assert turns["turn_detection"] == "vad"
    assert turns["preemptive_generation"] == {"enabled": False}


def test_an_unknown_provider_is_a_clear_error() -> None:
    template = msgspec.structs.replace(plugins.DEFAULT_TEMPLATE, stt_provider="whisperer")
    with pytest.raises(ValueError, match="unknown STT provider"):
        plugins.build_stt(template)
