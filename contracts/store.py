"""Reads served by persistence on ``store.<query>`` (request/reply, queue group ``store``).

A miss is a typed :class:`NotFound`; a bad request a typed :class:`BadRequest`.
"""

from __future__ import annotations

from typing import Any

import msgspec

from contracts.base import E164, CallId, Contract, Message, UtcDateTime
from contracts.calls import CallType, Outcome
from contracts.conversation import Speaker


class GetCallerContext(Message, kw_only=True, frozen=True):
    """At call start: what Barbara remembers about this caller."""

    call_id: CallId
    caller_number: E164


class GetTemplate(Message, kw_only=True, frozen=True):
    """The AI template for a dialled number (assignment, else the default)."""

    dialled_number: E164 | None = None


class GetActivePrompt(Message, kw_only=True, frozen=True):
    """The active prompt version for a call type, ``{{variables}}`` filled."""

    call_type: CallType
    variables: dict[str, str] = msgspec.field(default_factory=dict)


class GetTranscript(Message, kw_only=True, frozen=True):
    """A call's transcript, in order."""

    call_id: CallId


class StoreReply(Contract, kw_only=True, frozen=True, tag_field="kind"):
    """Base of every read reply."""


class NotFound(StoreReply, kw_only=True, frozen=True, tag="not_found"):
    what: str


class BadRequest(StoreReply, kw_only=True, frozen=True, tag="bad_request"):
    reason: str


class CallerContext(StoreReply, kw_only=True, frozen=True, tag="caller_context"):
    lead_id: str | None = None
    call_count: int = 0
    qualified: bool = False
    memory: dict[str, Any] = msgspec.field(default_factory=dict)
    last_outcome: Outcome | None = None
    last_call_summary: str | None = None
    last_call_at: UtcDateTime | None = None


class Template(StoreReply, kw_only=True, frozen=True, tag="template"):
    """Voice pipeline settings (an ``ai_templates`` row)."""

    template_id: str
    name: str
    is_default: bool
    stt_provider: str
    stt_model: str
    stt_language: str
    tts_provider: str
    tts_model: str
    tts_voice: str
    tts_speed: float
    tts_stability: float
    llm_provider: str
    llm_model: str
    llm_fallback_model: str | None
    llm_base_url: str | None
    llm_temperature: float
    llm_max_tokens: int
    vad_threshold: float
    vad_min_silence_ms: int
    vad_prefix_padding_ms: int
    turn_detector_enabled: bool
    turn_detector_model: str | None
    min_endpointing_delay_ms: int
    max_endpointing_delay_ms: int
    allow_interruptions: bool
    min_interruption_duration_ms: int
    false_interruption_timeout_ms: int
    resume_false_interruption: bool
    preemptive_generation: bool
    est_cost_per_min_cents: float


class RenderedPrompt(StoreReply, kw_only=True, frozen=True, tag="prompt"):
    prompt_version_id: str
    call_type: CallType
    version: int
    sections: dict[str, str]
    nodes: dict[str, str]


class TranscriptLine(Contract, kw_only=True, frozen=True):
    seq: int
    speaker: Speaker
    text: str
    heard_text: str | None = None
    interrupted: bool = False


class Transcript(StoreReply, kw_only=True, frozen=True, tag="transcript"):
    call_id: CallId
    lines: list[TranscriptLine]


CallerContextReply = CallerContext | NotFound | BadRequest
TemplateReply = Template | NotFound | BadRequest
PromptReply = RenderedPrompt | NotFound | BadRequest
TranscriptReply = Transcript | NotFound | BadRequest
