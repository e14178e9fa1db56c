-- Post-call analysis (issue 15 items 2 and 3): what produced each evaluation, the structured
-- facts it extracted, and whether `calls.<id>.analyzed` has been published; cost per call.
ALTER TABLE evaluations
    ADD COLUMN evaluator     text NOT NULL DEFAULT 'deterministic-v1',
    ADD COLUMN facts         jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN llm_tokens    integer NOT NULL DEFAULT 0 CHECK (llm_tokens >= 0),
    ADD COLUMN event         jsonb,
    ADD COLUMN published_at  timestamptz;

ALTER TABLE calls
    ADD COLUMN cost_per_min_cents  numeric(8, 3),
    ADD COLUMN llm_tokens          integer NOT NULL DEFAULT 0 CHECK (llm_tokens >= 0),
    ADD COLUMN cost_cents          numeric(12, 3);
