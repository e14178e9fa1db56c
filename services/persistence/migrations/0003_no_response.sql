-- A line that stayed silent is its own outcome (not "not interested", not a hang-up).
ALTER TYPE call_outcome ADD VALUE IF NOT EXISTS 'no_response';
