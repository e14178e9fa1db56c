-- A call the gateway lost (no `ended` from it) is closed by LiveKit's room_finished webhook.
ALTER TYPE call_end_reason ADD VALUE IF NOT EXISTS 'gateway_lost';
