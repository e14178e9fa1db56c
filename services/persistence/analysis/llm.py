"""The LLM evaluator, ``llm:<model>``: the transcript and the call's events to an
OpenAI-compatible model with a JSON-schema ``response_format`` (the schema generated from
:class:`LlmAnalysis`), the answer validated by msgspec. Token usage comes from the stream's
last chunk (``stream_options.include_usage``).

Any failure — the server, a timeout, an answer that is not valid JSON or does not match the
schema — falls back to the deterministic evaluator, whose name is then what the evaluation
carries: an evaluation never claims an LLM judged it when none did.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Literal

import msgspec

from contracts.calls import Scores
from services.persistence.analysis.evaluate import Evaluation, evaluate
from services.persistence.analysis.record import CallRecord
from services.persistence.settings import Settings

log = logging.getLogger(__name__)

MAX_TRANSCRIPT_CHARS = 24_000


class Facts(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    """The structured extraction: what the call established (``null`` when it did not)."""

    caller_name_given: bool | None = None
    right_person: bool | None = None
    age: int | None = None
    age_62_plus: bool | None = None
    homeowner: bool | None = None
    primary_residence: bool | None = None
    home_value_estimate_usd: int | None = None
    mortgage_balance_estimate_usd: int | None = None
    enough_equity: bool | None = None
    property_city: str | None = None
    property_state: str | None = None
    money_purpose: str | None = None
    timeline: str | None = None
    objections: list[str] = []
    questions_asked: list[str] = []
    heirs_concern: bool | None = None
    spouse_involved: bool | None = None
    working_with_other_lender: bool | None = None
    interest_level: Literal["low", "medium", "high"] | None = None
    sentiment: Literal["positive", "neutral", "negative"] | None = None
    appointment_booked: bool | None = None
    callback_requested: bool | None = None
    email_requested: bool | None = None
    opt_out_requested: bool | None = None
    asked_for_human: bool | None = None
    disclosed_ai_and_recording: bool | None = None


class LlmAnalysis(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    summary: str
    scores: Scores
    strengths: list[str]
    weaknesses: list[str]
    red_flags: list[str]
    facts: Facts


SCHEMA = msgspec.json.schema(LlmAnalysis)

INSTRUCTIONS = (
    "You review a phone call between Barbara, an AI assistant booking reverse-mortgage "
    "consultations for homeowners aged 62+, and a caller. Score each of opening, "
    "property_discussion, objection_handling, booking_attempt, tone and overall_flow from 0 "
    "to 10; list strengths, weaknesses and red flags (compliance: AI and recording "
    "disclosure, no legal/tax advice, no guaranteed amounts, honouring do-not-call); write a "
    "two-sentence summary; extract the facts (null when the call did not establish one). "
    "Answer with JSON matching the schema only."
)


def parse(content: str) -> LlmAnalysis:
    """The model's answer, validated; ``msgspec.ValidationError`` / ``DecodeError`` if not."""
    return msgspec.json.decode(content.encode(), type=LlmAnalysis)


def _prompt(call: CallRecord) -> str:
    context = {
        "outcome": call.outcome, "end_reason": call.end_reason,
        "duration_s": round(call.duration_ms / 1000), "nodes_visited": call.nodes,
        "tools": [name + (" (failed)" if bad else "") for name, bad in call.tools],
        "dialogue_facts": call.facts,
    }  # fmt: skip
    return (
        f"Call events: {json.dumps(context, default=str)}\n\n"
        f"Transcript:\n{call.transcript()[-MAX_TRANSCRIPT_CHARS:]}"
    )


class LlmEvaluator:
    def __init__(self, settings: Settings) -> None:
        import openai  # only when an LLM is configured

        self.model = settings.analysis_llm_model
        self.client = openai.AsyncOpenAI(
            api_key=settings.analysis_llm_api_key or "unset",
            base_url=settings.analysis_llm_base_url or None,
            timeout=settings.analysis_llm_timeout_s,
            max_retries=1,
        )

    async def __call__(self, call: CallRecord) -> Evaluation:
        tokens = 0
        try:
            content, tokens = await self._ask(call)
            answer = parse(content)
        except (msgspec.ValidationError, msgspec.DecodeError) as err:
            log.warning("LLM analysis did not match the schema (%s); deterministic instead", err)
            return _fallback(call, tokens)
        except Exception as err:
            log.warning("LLM analysis failed (%s); deterministic instead", type(err).__name__)
            return _fallback(call, tokens)
        facts = {k: v for k, v in msgspec.to_builtins(answer.facts).items() if v not in (None, [])}
        return Evaluation(
            evaluator=f"llm:{self.model}", scores=answer.scores, summary=answer.summary,
            strengths=answer.strengths, weaknesses=answer.weaknesses,
            red_flags=answer.red_flags, facts=facts, llm_tokens=tokens,
        )  # fmt: skip

    async def _ask(self, call: CallRecord) -> tuple[str, int]:
        stream: Any = await self.client.chat.completions.create(
            model=self.model,
            messages=[
                {"role": "system", "content": INSTRUCTIONS},
                {"role": "user", "content": _prompt(call)},
            ],
            temperature=0,
            response_format={
                "type": "json_schema",
                "json_schema": {"name": "call_analysis", "schema": SCHEMA},
            },
            stream=True,
            stream_options={"include_usage": True},
        )
        parts: list[str] = []
        tokens = 0
        async for chunk in stream:
            usage = getattr(chunk, "usage", None)
            if usage is not None:
                tokens = int(getattr(usage, "total_tokens", 0) or 0)
            if chunk.choices and chunk.choices[0].delta.content:
                parts.append(chunk.choices[0].delta.content)
        return "".join(parts), tokens


def _fallback(call: CallRecord, tokens: int) -> Evaluation:
    ev = evaluate(call)
    return Evaluation(ev.evaluator, ev.scores, ev.summary, ev.strengths, ev.weaknesses,
                      ev.red_flags, ev.facts, llm_tokens=tokens)  # fmt: skip


async def _deterministic(call: CallRecord) -> Evaluation:
    return evaluate(call)


def evaluator_for(settings: Settings) -> Any:
    """The LLM evaluator when ``EC_ANALYSIS_LLM_MODEL`` is set, else the deterministic one."""
    return LlmEvaluator(settings) if settings.analysis_llm_model else _deterministic
