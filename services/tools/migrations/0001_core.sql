-- Tools service schema: leads, brokers, territories, calendar, appointments, callbacks,
-- billing. Applied by `equity-connect migrate` as role ec_tools with search_path tools, public.

CREATE TYPE lead_status AS ENUM (
    'new', 'contacted', 'qualified', 'not_qualified', 'appointment_set',
    'callback_scheduled', 'do_not_call', 'closed'
);
CREATE TYPE disqualification_reason AS ENUM (
    'age_below_62', 'not_homeowner', 'not_primary_residence', 'insufficient_equity'
);
CREATE TYPE broker_status AS ENUM ('active', 'inactive');
CREATE TYPE appointment_status AS ENUM ('scheduled', 'cancelled', 'completed', 'no_show');
CREATE TYPE callback_status AS ENUM ('scheduled', 'done', 'cancelled');
CREATE TYPE billing_event_type AS ENUM ('appointment_set');
CREATE TYPE billing_status AS ENUM ('pending', 'invoiced', 'paid', 'void');
CREATE TYPE lead_activity_kind AS ENUM (
    'appointment_set', 'appointment_cancelled', 'appointment_rescheduled',
    'callback_scheduled', 'do_not_call', 'qualification', 'verification'
);

CREATE TABLE brokers (
    id                  uuid PRIMARY KEY,
    name                text NOT NULL CHECK (name <> ''),
    company             text NOT NULL,
    nmls                text NOT NULL UNIQUE CHECK (nmls ~ '^[0-9]{4,12}$'),
    phone               text NOT NULL CHECK (phone ~ '^\+[1-9][0-9]{7,14}$'),
    email               text NOT NULL,
    timezone            text NOT NULL CHECK (timezone ~ '^[A-Za-z_]+(/[A-Za-z0-9_+-]+)+$'),
    status              broker_status NOT NULL DEFAULT 'active',
    is_default          boolean NOT NULL DEFAULT false,
    appointment_minutes integer NOT NULL DEFAULT 45 CHECK (appointment_minutes BETWEEN 15 AND 120),
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);
-- One deterministic default broker.
CREATE UNIQUE INDEX brokers_one_default ON brokers (is_default) WHERE is_default;

CREATE TABLE broker_territories (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    broker_id uuid NOT NULL REFERENCES brokers (id) ON DELETE CASCADE,
    zip       text CHECK (zip ~ '^[0-9]{5}$'),
    city      text,
    state     char(2) CHECK (state ~ '^[A-Z]{2}$'),
    CHECK (zip IS NOT NULL OR state IS NOT NULL),
    CHECK (city IS NULL OR state IS NOT NULL)
);
CREATE UNIQUE INDEX broker_territories_unique
    ON broker_territories (broker_id, coalesce(zip, ''), coalesce(lower(city), ''), coalesce(state, ''));
CREATE INDEX broker_territories_zip ON broker_territories (zip) WHERE zip IS NOT NULL;
CREATE INDEX broker_territories_city ON broker_territories (state, lower(city));

-- Working hours in the broker's own timezone; ISO weekday 1 = Monday.
CREATE TABLE broker_working_hours (
    broker_id  uuid NOT NULL REFERENCES brokers (id) ON DELETE CASCADE,
    weekday    smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_time time NOT NULL,
    end_time   time NOT NULL,
    CHECK (start_time < end_time),
    PRIMARY KEY (broker_id, weekday, start_time)
);

CREATE TABLE broker_blocked_time (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    broker_id uuid NOT NULL REFERENCES brokers (id) ON DELETE CASCADE,
    during    tstzrange NOT NULL CHECK (NOT isempty(during)),
    reason    text NOT NULL DEFAULT ''
);
CREATE INDEX broker_blocked_time_during ON broker_blocked_time USING gist (broker_id, during);

CREATE TABLE leads (
    id                      uuid PRIMARY KEY,
    phone                   text NOT NULL CHECK (phone ~ '^\+[1-9][0-9]{7,14}$'),
    first_name              text,
    last_name               text,
    email                   text,
    property_address        text,
    property_city           text,
    property_state          char(2) CHECK (property_state ~ '^[A-Z]{2}$'),
    property_zip            text CHECK (property_zip ~ '^[0-9]{5}$'),
    property_value          numeric(12, 2) CHECK (property_value >= 0),
    mortgage_balance        numeric(12, 2) CHECK (mortgage_balance >= 0),
    age                     smallint CHECK (age BETWEEN 18 AND 120),
    is_homeowner            boolean,
    owner_occupied          boolean,
    money_purpose           text,
    timeline                text,
    status                  lead_status NOT NULL DEFAULT 'new',
    phone_verified          boolean NOT NULL DEFAULT false,
    name_verified           boolean NOT NULL DEFAULT false,
    address_verified        boolean NOT NULL DEFAULT false,
    gate_age                boolean,
    gate_homeowner          boolean,
    gate_primary_residence  boolean,
    gate_equity             boolean,
    qualified               boolean GENERATED ALWAYS AS (
        coalesce(gate_age AND gate_homeowner AND gate_primary_residence AND gate_equity, false)
    ) STORED,
    disqualification_reason disqualification_reason,
    consent                 boolean NOT NULL DEFAULT false,
    consent_at              timestamptz,
    do_not_call             boolean NOT NULL DEFAULT false,
    do_not_call_at          timestamptz,
    assigned_broker_id      uuid REFERENCES brokers (id),
    notes                   text,
    last_contact_at         timestamptz,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    -- a disqualified lead says why; a qualified one has no reason
    CHECK (NOT (disqualification_reason IS NOT NULL
                AND coalesce(gate_age AND gate_homeowner AND gate_primary_residence AND gate_equity, false))),
    CHECK (NOT do_not_call OR do_not_call_at IS NOT NULL)
);
-- E.164 phone unique: callers are looked up by it (normalised before it reaches the table).
CREATE UNIQUE INDEX leads_phone_unique ON leads (phone);
CREATE INDEX leads_broker ON leads (assigned_broker_id);

CREATE TABLE appointments (
    id              uuid PRIMARY KEY,
    lead_id         uuid NOT NULL REFERENCES leads (id),
    broker_id       uuid NOT NULL REFERENCES brokers (id),
    starts_at       timestamptz NOT NULL,
    ends_at         timestamptz NOT NULL,
    broker_timezone text NOT NULL,
    caller_timezone text NOT NULL,
    status          appointment_status NOT NULL DEFAULT 'scheduled',
    idempotency_key text NOT NULL UNIQUE,
    call_id         text,
    replaces_id     uuid REFERENCES appointments (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (starts_at < ends_at),
    -- No overlapping live appointments for a broker, even under concurrent booking.
    CONSTRAINT appointments_no_overlap EXCLUDE USING gist (
        broker_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&
    ) WHERE (status = 'scheduled')
);
CREATE INDEX appointments_lead ON appointments (lead_id, starts_at);

CREATE TABLE callbacks (
    id              uuid PRIMARY KEY,
    lead_id         uuid NOT NULL REFERENCES leads (id),
    due_at          timestamptz NOT NULL,
    timezone        text NOT NULL,
    reason          text NOT NULL DEFAULT '',
    status          callback_status NOT NULL DEFAULT 'scheduled',
    idempotency_key text NOT NULL UNIQUE,
    call_id         text,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX callbacks_due ON callbacks (due_at) WHERE status = 'scheduled';

CREATE TABLE billing_events (
    id             uuid PRIMARY KEY,
    broker_id      uuid NOT NULL REFERENCES brokers (id),
    lead_id        uuid NOT NULL REFERENCES leads (id),
    appointment_id uuid NOT NULL UNIQUE REFERENCES appointments (id),
    event_type     billing_event_type NOT NULL,
    amount_cents   integer NOT NULL CHECK (amount_cents > 0),
    status         billing_status NOT NULL DEFAULT 'pending',
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- The lead's timeline of business events written by tools (booking, callbacks, DNC), in the
-- same transaction as the change. The per-call summary lives in persistence.interactions.
CREATE TABLE lead_activity (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lead_id    uuid NOT NULL REFERENCES leads (id),
    kind       lead_activity_kind NOT NULL,
    call_id    text,
    detail     jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX lead_activity_lead ON lead_activity (lead_id, created_at);
