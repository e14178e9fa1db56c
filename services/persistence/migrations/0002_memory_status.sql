-- How the caller's previous call ended (a new call while one is active closes it as
-- interrupted), and event→row latency measured at insert time rather than transaction start.
ALTER TABLE conversation_state ADD COLUMN last_call_status conversation_status;
ALTER TABLE processed_events ALTER COLUMN processed_at SET DEFAULT clock_timestamp();
ALTER TABLE processed_events ADD COLUMN occurred_at timestamptz;
CREATE INDEX processed_events_processed_at ON processed_events (processed_at);
