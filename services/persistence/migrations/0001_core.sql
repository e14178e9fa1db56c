-- Persistence service schema: the call record, conversation memory, configuration.
-- Applied by `equity-connect migrate` as role ec_persistence with search_path persistence, public.

CREATE TYPE call_direction AS ENUM ('inbound', 'outbound');
CREATE TYPE call_type AS ENUM (
    'inbound-qualified', 'inbound-unqualified', 'inbound-unknown', 'outbound-warm', 'outbound-cold'
);
CREATE TYPE call_outcome AS ENUM (
    'booked', 'callback_scheduled', 'email_requested', 'not_qualified', 'not_interested',
    'bad_timing', 'already_working_with_lender', 'wrong_person', 'do_not_call',
    'caller_hung_up', 'transferred', 'error'
);
CREATE TYPE call_end_reason AS ENUM (
    'caller_hung_up', 'agent_ended', 'transferred', 'error', 'timeout'
);
CREATE TYPE speaker AS ENUM ('caller', 'agent');
CREATE TYPE conversation_status AS ENUM ('active', 'completed', 'interrupted');
CREATE TYPE prompt_version_status AS ENUM ('draft', 'active', 'archived');

CREATE TABLE ai_templates (
    id                            uuid PRIMARY KEY,
    key                           text NOT NULL UNIQUE,
    name                          text NOT NULL,
    is_default                    boolean NOT NULL DEFAULT false,
    stt_provider                  text NOT NULL CHECK (stt_provider IN ('deepgram', 'openai')),
    stt_model                     text NOT NULL,
    stt_language                  text NOT NULL DEFAULT 'en-US',
    tts_provider                  text NOT NULL CHECK (tts_provider IN ('elevenlabs', 'openai')),
    tts_model                     text NOT NULL,
    tts_voice                     text NOT NULL,
    tts_speed                     real NOT NULL DEFAULT 1.0 CHECK (tts_speed BETWEEN 0.5 AND 2.0),
    tts_stability                 real NOT NULL DEFAULT 0.5 CHECK (tts_stability BETWEEN 0 AND 1),
    llm_provider                  text NOT NULL CHECK (llm_provider IN ('openai', 'openrouter', 'compatible')),
    llm_model                     text NOT NULL,
    llm_fallback_model            text,
    llm_base_url                  text,
    llm_temperature               real NOT NULL DEFAULT 0.6 CHECK (llm_temperature BETWEEN 0 AND 2),
    llm_max_tokens                integer NOT NULL DEFAULT 200 CHECK (llm_max_tokens BETWEEN 16 AND 4096),
    vad_threshold                 real NOT NULL DEFAULT 0.5 CHECK (vad_threshold BETWEEN 0 AND 1),
    vad_min_silence_ms            integer NOT NULL DEFAULT 550 CHECK (vad_min_silence_ms >= 0),
    vad_prefix_padding_ms         integer NOT NULL DEFAULT 300 CHECK (vad_prefix_padding_ms >= 0),
    turn_detector_enabled         boolean NOT NULL DEFAULT true,
    turn_detector_model           text,
    min_endpointing_delay_ms      integer NOT NULL DEFAULT 500 CHECK (min_endpointing_delay_ms >= 0),
    max_endpointing_delay_ms      integer NOT NULL DEFAULT 3000,
    allow_interruptions           boolean NOT NULL DEFAULT true,
    min_interruption_duration_ms  integer NOT NULL DEFAULT 500 CHECK (min_interruption_duration_ms >= 0),
    false_interruption_timeout_ms integer NOT NULL DEFAULT 2000 CHECK (false_interruption_timeout_ms >= 0),
    resume_false_interruption     boolean NOT NULL DEFAULT true,
    preemptive_generation         boolean NOT NULL DEFAULT false,
    est_cost_per_min_cents        numeric(8, 3) NOT NULL DEFAULT 0,
    created_at                    timestamptz NOT NULL DEFAULT now(),
    updated_at                    timestamptz NOT NULL DEFAULT now(),
    CHECK (min_endpointing_delay_ms <= max_endpointing_delay_ms)
);
-- One deterministic default template.
CREATE UNIQUE INDEX ai_templates_one_default ON ai_templates (is_default) WHERE is_default;

CREATE TABLE phone_number_assignments (
    phone       text PRIMARY KEY CHECK (phone ~ '^\+[1-9][0-9]{7,14}$'),
    template_id uuid NOT NULL REFERENCES ai_templates (id),
    label       text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE prompts (
    id         uuid PRIMARY KEY,
    call_type  call_type NOT NULL UNIQUE,
    name       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE prompt_versions (
    id           uuid PRIMARY KEY,
    prompt_id    uuid NOT NULL REFERENCES prompts (id) ON DELETE CASCADE,
    version      integer NOT NULL CHECK (version >= 1),
    status       prompt_version_status NOT NULL DEFAULT 'draft',
    -- sections: role, personality, context, conversation_flow, rules, output_format, safety,
    -- pronunciation; nodes: greet, verify, qualify, answer, objections, book, exit, wrong_person
    sections     jsonb NOT NULL CHECK (jsonb_typeof(sections) = 'object'),
    nodes        jsonb NOT NULL CHECK (jsonb_typeof(nodes) = 'object'),
    change_note  text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    activated_at timestamptz,
    UNIQUE (prompt_id, version)
);
-- Exactly one active version per call type; drafts never overwrite it.
CREATE UNIQUE INDEX prompt_versions_one_active ON prompt_versions (prompt_id) WHERE status = 'active';

CREATE TABLE calls (
    call_id            text PRIMARY KEY CHECK (call_id ~ '^[A-Za-z0-9_-]{6,64}$'),
    room               text,
    direction          call_direction NOT NULL,
    call_type          call_type,
    from_number        text CHECK (from_number ~ '^\+[1-9][0-9]{7,14}$'),
    to_number          text CHECK (to_number ~ '^\+[1-9][0-9]{7,14}$'),
    template_id        uuid,
    prompt_version_id  uuid,
    lead_id            uuid,
    started_at         timestamptz NOT NULL,
    ended_at           timestamptz,
    end_reason         call_end_reason,
    duration_ms        integer CHECK (duration_ms >= 0),
    outcome            call_outcome,
    outcome_reason     text,
    CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE INDEX calls_started ON calls (started_at DESC);
CREATE INDEX calls_lead ON calls (lead_id, started_at DESC);

CREATE TABLE transcript_segments (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    call_id     text NOT NULL REFERENCES calls (call_id),
    seq         integer NOT NULL CHECK (seq >= 0),
    speaker     speaker NOT NULL,
    text        text NOT NULL,
    heard_text  text,
    interrupted boolean NOT NULL DEFAULT false,
    offset_ms   integer,
    spoken_at   timestamptz NOT NULL,
    event_id    text NOT NULL UNIQUE,
    UNIQUE (call_id, seq)
);

CREATE TABLE tool_invocations (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    call_id    text NOT NULL REFERENCES calls (call_id),
    tool       text NOT NULL,
    request_id text NOT NULL,
    args       jsonb NOT NULL DEFAULT '{}',
    result     jsonb,
    error      jsonb,
    latency_ms real NOT NULL CHECK (latency_ms >= 0),
    invoked_at timestamptz NOT NULL,
    event_id   text NOT NULL UNIQUE
);
CREATE INDEX tool_invocations_call ON tool_invocations (call_id, invoked_at);

CREATE TABLE dialogue_state_changes (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    call_id    text NOT NULL REFERENCES calls (call_id),
    seq        integer NOT NULL CHECK (seq >= 0),
    node       text NOT NULL,
    previous   text,
    flags      jsonb NOT NULL DEFAULT '{}',
    changed_at timestamptz NOT NULL,
    event_id   text NOT NULL UNIQUE,
    UNIQUE (call_id, seq)
);

-- One row per caller (E.164). `durable` survives calls (lead id, qualified, topics, call
-- count); `current` is reset at each new call (verified, wrong person, ready to book,
-- objections, node visits, booked this call).
CREATE TABLE conversation_state (
    caller_phone    text PRIMARY KEY CHECK (caller_phone ~ '^\+[1-9][0-9]{7,14}$'),
    lead_id         uuid,
    qualified       boolean NOT NULL DEFAULT false,
    call_count      integer NOT NULL DEFAULT 0 CHECK (call_count >= 0),
    durable         jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(durable) = 'object'),
    current         jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(current) = 'object'),
    status          conversation_status NOT NULL DEFAULT 'completed',
    active_call_id  text,
    last_call_id    text,
    last_outcome    call_outcome,
    last_summary    text,
    last_call_at    timestamptz,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'active') = (active_call_id IS NOT NULL))
);
CREATE INDEX conversation_state_lead ON conversation_state (lead_id);

CREATE TABLE interactions (
    call_id    text PRIMARY KEY REFERENCES calls (call_id),
    lead_id    uuid,
    outcome    call_outcome NOT NULL,
    summary    text NOT NULL DEFAULT '',
    metadata   jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE evaluations (
    call_id              text PRIMARY KEY REFERENCES calls (call_id),
    prompt_version_id    uuid REFERENCES prompt_versions (id),
    opening              smallint NOT NULL CHECK (opening BETWEEN 0 AND 10),
    property_discussion  smallint NOT NULL CHECK (property_discussion BETWEEN 0 AND 10),
    objection_handling   smallint NOT NULL CHECK (objection_handling BETWEEN 0 AND 10),
    booking_attempt      smallint NOT NULL CHECK (booking_attempt BETWEEN 0 AND 10),
    tone                 smallint NOT NULL CHECK (tone BETWEEN 0 AND 10),
    overall_flow         smallint NOT NULL CHECK (overall_flow BETWEEN 0 AND 10),
    strengths            text[] NOT NULL DEFAULT '{}',
    weaknesses           text[] NOT NULL DEFAULT '{}',
    red_flags            text[] NOT NULL DEFAULT '{}',
    summary              text NOT NULL DEFAULT '',
    created_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX evaluations_prompt_version ON evaluations (prompt_version_id);

-- Inbox for idempotent consumers: an event id is recorded in the same transaction as its effect.
CREATE TABLE processed_events (
    event_id     text PRIMARY KEY,
    subject      text NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now()
);
