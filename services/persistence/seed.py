"""Load the persistence service's seed data: AI templates, number assignments, prompts with an
active version per call type, and the memory of returning callers. Idempotent."""

from __future__ import annotations

import tomllib
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import psycopg
from psycopg.types.json import Jsonb

SEED_DIR = Path(__file__).resolve().parent / "seed"
NAMESPACE = uuid.UUID("0b6c1f0e-3c0a-4d7e-8f65-1c2d9e4a7b31")

SECTIONS = (
    "role", "personality", "context", "conversation_flow", "rules", "output_format", "safety",
    "pronunciation",
)  # fmt: skip
NODES = ("greet", "verify", "qualify", "answer", "objections", "book", "exit", "wrong_person")

_TEMPLATE_FIELDS = (
    "name", "is_default", "stt_provider", "stt_model", "stt_language", "tts_provider",
    "tts_model", "tts_voice", "tts_speed", "tts_stability", "llm_provider", "llm_model",
    "llm_fallback_model", "llm_base_url", "llm_temperature", "llm_max_tokens", "vad_threshold",
    "vad_min_silence_ms", "vad_prefix_padding_ms", "turn_detector_enabled",
    "turn_detector_model", "min_endpointing_delay_ms", "max_endpointing_delay_ms",
    "allow_interruptions", "min_interruption_duration_ms", "false_interruption_timeout_ms",
    "resume_false_interruption", "preemptive_generation", "est_cost_per_min_cents",
)  # fmt: skip


class CallerMemory(Protocol):
    @property
    def phone(self) -> str: ...
    @property
    def lead_id(self) -> str: ...
    @property
    def qualified(self) -> bool: ...
    @property
    def memory(self) -> dict[str, Any]: ...


def stable_id(kind: str, key: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{kind}:{key}")


def seed(conn: psycopg.Connection, memories: Sequence[CallerMemory] = ()) -> None:
    with conn.transaction():
        with open(SEED_DIR / "templates.toml", "rb") as fh:
            config = tomllib.load(fh)
        _seed_templates(conn, config["templates"], config.get("assignments", []))
        for path in sorted((SEED_DIR / "prompts").glob("*.toml")):
            with open(path, "rb") as fh:
                _seed_prompt(conn, tomllib.load(fh))
        for m in memories:
            _seed_memory(conn, m)


def _seed_templates(
    conn: psycopg.Connection, templates: list[dict[str, Any]], assignments: list[dict[str, Any]]
) -> None:
    for t in templates:
        missing = [f for f in _TEMPLATE_FIELDS if f not in t and f != "llm_fallback_model"]
        if missing:
            raise ValueError(f"template {t.get('key')!r} is missing {', '.join(missing)}")
        values = [t.get(f) for f in _TEMPLATE_FIELDS]
        updates = ", ".join(f"{f} = EXCLUDED.{f}" for f in _TEMPLATE_FIELDS)
        conn.execute(
            f"""INSERT INTO ai_templates (id, key, {", ".join(_TEMPLATE_FIELDS)})
                VALUES (%s, %s, {", ".join(["%s"] * len(_TEMPLATE_FIELDS))})
                ON CONFLICT (id) DO UPDATE SET {updates}, updated_at = now()""",
            [stable_id("template", t["key"]), t["key"], *values],
        )
    for a in assignments:
        conn.execute(
            """INSERT INTO phone_number_assignments (phone, template_id, label) VALUES (%s, %s, %s)
               ON CONFLICT (phone) DO UPDATE SET template_id = EXCLUDED.template_id,
                   label = EXCLUDED.label""",
            (a["number"], stable_id("template", a["template"]), a.get("label", "")),
        )


def _seed_prompt(conn: psycopg.Connection, prompt: dict[str, Any]) -> None:
    call_type = prompt["call_type"]
    sections = {k: prompt["sections"][k] for k in SECTIONS}
    nodes = {k: prompt["nodes"][k] for k in NODES}
    prompt_id = stable_id("prompt", call_type)
    conn.execute(
        """INSERT INTO prompts (id, call_type, name) VALUES (%s, %s, %s)
           ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name""",
        (prompt_id, call_type, prompt["name"]),
    )
    version = int(prompt.get("version", 1))
    conn.execute(
        """INSERT INTO prompt_versions (id, prompt_id, version, status, sections, nodes,
                                        change_note, activated_at)
           VALUES (%s, %s, %s, 'draft', %s, %s, 'seed', NULL)
           ON CONFLICT (prompt_id, version) DO NOTHING""",
        (stable_id("prompt-version", f"{call_type}:{version}"), prompt_id, version,
         Jsonb(sections), Jsonb(nodes)),
    )  # fmt: skip
    # activate the seeded version only when the call type has no active version yet
    conn.execute(
        """UPDATE prompt_versions SET status = 'active', activated_at = now()
           WHERE prompt_id = %s AND version = %s
             AND NOT EXISTS (SELECT 1 FROM prompt_versions
                             WHERE prompt_id = %s AND status = 'active')""",
        (prompt_id, version, prompt_id),
    )


def _seed_memory(conn: psycopg.Connection, m: CallerMemory) -> None:
    memory = dict(m.memory)
    call_count = int(memory.pop("call_count", 1))
    last_outcome = memory.pop("last_outcome", None)
    last_summary = memory.pop("last_call_summary", None)
    durable = {"topics_discussed": memory.pop("topics_discussed", []), **memory}
    conn.execute(
        """INSERT INTO conversation_state (caller_phone, lead_id, qualified, call_count, durable,
                                           status, last_outcome, last_summary, last_call_at)
           VALUES (%s, %s, %s, %s, %s, 'completed', %s, %s, now() - interval '3 days')
           ON CONFLICT (caller_phone) DO NOTHING""",
        (m.phone, m.lead_id, m.qualified, call_count, Jsonb(durable), last_outcome, last_summary),
    )
