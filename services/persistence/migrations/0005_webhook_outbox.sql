-- Webhooks out: a transactional outbox. The writer inserts a row per (event, endpoint) in the
-- same transaction as the event's effect; the delivery loop claims due rows (FOR UPDATE SKIP
-- LOCKED, so copies share the work), POSTs them signed, and retries with backoff until
-- delivered or dead. `msg_id` is the webhook-id (the event id): the same on every retry.
CREATE TYPE webhook_status AS ENUM ('pending', 'delivered', 'dead');

CREATE TABLE webhook_outbox (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    msg_id          text NOT NULL,
    endpoint        text NOT NULL CHECK (endpoint ~ '^https?://'),
    event_type      text NOT NULL,
    call_id         text NOT NULL,
    body            text NOT NULL,  -- the exact JSON that is signed, the same on every retry
    status          webhook_status NOT NULL DEFAULT 'pending',
    attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    created_at      timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz,
    last_status     integer,
    last_error      text,
    UNIQUE (msg_id, endpoint)
);
CREATE INDEX webhook_outbox_due ON webhook_outbox (next_attempt_at, id) WHERE status = 'pending';
-- a call's webhooks go to an endpoint in order: the claim looks for an earlier pending one
CREATE INDEX webhook_outbox_order ON webhook_outbox (endpoint, call_id, id) WHERE status = 'pending';
