-- Tools service runtime state: which lead each call is bound to (the authority behind every
-- tool request's session), the slots offered to each call, and which model embedded each
-- knowledge-base passage.

-- One row per call that looked up a lead. The dialogue's session is a claim; this row is the
-- authority: a request for any other lead, or a PII read before `verified`, is refused.
CREATE TABLE call_bindings (
    call_id              text PRIMARY KEY CHECK (call_id ~ '^[A-Za-z0-9_-]{6,64}$'),
    lead_id              uuid NOT NULL REFERENCES leads (id),
    caller_phone         text NOT NULL CHECK (caller_phone ~ '^\+[1-9][0-9]{7,14}$'),
    verified             boolean NOT NULL DEFAULT false,
    created_lead         boolean NOT NULL DEFAULT false,
    failed_verifications smallint NOT NULL DEFAULT 0 CHECK (failed_verifications >= 0),
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX call_bindings_lead ON call_bindings (lead_id);

-- Slots offered by get_availability, bound to the call and lead they were offered to. A slot id
-- is accepted only from the same call, before it expires. Re-offering the same time in the
-- same call keeps its id.
CREATE TABLE issued_slots (
    slot_id         text PRIMARY KEY,
    call_id         text NOT NULL REFERENCES call_bindings (call_id) ON DELETE CASCADE,
    lead_id         uuid NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    broker_id       uuid NOT NULL REFERENCES brokers (id) ON DELETE CASCADE,
    starts_at       timestamptz NOT NULL,
    ends_at         timestamptz NOT NULL,
    caller_timezone text NOT NULL,
    expires_at      timestamptz NOT NULL,
    CHECK (starts_at < ends_at),
    UNIQUE (call_id, broker_id, starts_at)
);
CREATE INDEX issued_slots_expiry ON issued_slots (expires_at);

-- Upcoming appointments of a lead and of a broker (availability reads a broker's window).
CREATE INDEX appointments_broker_live ON appointments (broker_id, starts_at)
    WHERE status = 'scheduled';

-- Which model produced each embedding: passages embedded by another model are re-embedded.
ALTER TABLE kb_chunks ADD COLUMN embedding_model text;
CREATE INDEX kb_chunks_unembedded ON kb_chunks (id) WHERE embedding IS NULL;
