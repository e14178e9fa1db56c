-- Call recordings (issue 15 item 1): where the gateway stored the call's audio in Supabase
-- Storage, how long it is, and where the call's clock is in it (transcript alignment).
-- `retention_at` is when `equity-connect retention` deleted the recording and transcript.
ALTER TABLE calls
    ADD COLUMN recording_bucket       text,
    ADD COLUMN recording_path         text
        CHECK (recording_path ~ '^[A-Za-z0-9_./-]+$' AND length(recording_path) <= 300),
    ADD COLUMN recording_duration_ms  integer CHECK (recording_duration_ms >= 0),
    ADD COLUMN recording_offset_ms    integer,
    ADD COLUMN recording_bytes        bigint CHECK (recording_bytes >= 0),
    ADD COLUMN recording_sha256       text,
    ADD COLUMN recording_generated    boolean,
    ADD COLUMN retention_at           timestamptz;
CREATE INDEX calls_recorded ON calls (started_at) WHERE recording_path IS NOT NULL;
