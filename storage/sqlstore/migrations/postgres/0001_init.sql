-- goalkit storage schema for PostgreSQL. {{prefix}} is the table prefix.
-- Decimals are NUMERIC, days DATE, times TIMESTAMPTZ (microseconds, UTC).

CREATE TABLE {{prefix}}units (
	tenant       TEXT COLLATE "C" NOT NULL,
	id           TEXT COLLATE "C" NOT NULL,
	pos          INTEGER NOT NULL,
	parent       TEXT COLLATE "C" NOT NULL,
	kind         TEXT COLLATE "C" NOT NULL,
	name         TEXT COLLATE "C" NOT NULL,
	active_from  DATE NOT NULL,
	active_until DATE NOT NULL,
	PRIMARY KEY (tenant, id)
);

-- Closure of the org tree: every unit with itself (depth 0) and each ancestor.
CREATE TABLE {{prefix}}ancestors (
	tenant   TEXT COLLATE "C" NOT NULL,
	unit     TEXT COLLATE "C" NOT NULL,
	depth    INTEGER NOT NULL,
	ancestor TEXT COLLATE "C" NOT NULL,
	PRIMARY KEY (tenant, unit, depth)
);

CREATE TABLE {{prefix}}plans (
	tenant  TEXT COLLATE "C" NOT NULL,
	id      TEXT COLLATE "C" NOT NULL,
	metric  TEXT COLLATE "C" NOT NULL,
	version BIGINT NOT NULL,
	goals   INTEGER NOT NULL,
	PRIMARY KEY (tenant, id)
);

CREATE TABLE {{prefix}}goals (
	tenant    TEXT COLLATE "C" NOT NULL,
	plan      TEXT COLLATE "C" NOT NULL,
	pos       INTEGER NOT NULL,
	id        TEXT COLLATE "C" NOT NULL,
	parent    TEXT COLLATE "C" NOT NULL,
	metric    TEXT COLLATE "C" NOT NULL,
	unit      TEXT COLLATE "C" NOT NULL,
	grain     INTEGER NOT NULL,
	start_day DATE NOT NULL,
	end_day   DATE NOT NULL,
	label     TEXT COLLATE "C" NOT NULL,
	target    NUMERIC NOT NULL,
	stretch   NUMERIC,
	floor     NUMERIC,
	locked    BOOLEAN NOT NULL,
	PRIMARY KEY (tenant, plan, pos)
);

CREATE TABLE {{prefix}}audit (
	seq    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	tenant TEXT COLLATE "C" NOT NULL,
	plan   TEXT COLLATE "C" NOT NULL,
	goal   TEXT COLLATE "C" NOT NULL,
	actor  TEXT COLLATE "C" NOT NULL,
	at     TIMESTAMPTZ NOT NULL,
	old    NUMERIC,
	new    NUMERIC,
	reason TEXT COLLATE "C" NOT NULL
);
CREATE INDEX {{prefix}}audit_by_plan ON {{prefix}}audit (tenant, plan, at, seq);

CREATE TABLE {{prefix}}facts (
	tenant    TEXT COLLATE "C" NOT NULL,
	fact_key  TEXT COLLATE "C" NOT NULL,
	metric    TEXT COLLATE "C" NOT NULL,
	unit      TEXT COLLATE "C" NOT NULL,
	day       DATE NOT NULL,
	value     NUMERIC NOT NULL,
	currency  TEXT COLLATE "C" NOT NULL,
	credits   TEXT,
	dims      TEXT,
	parts     TEXT,
	retracted BOOLEAN NOT NULL,
	PRIMARY KEY (tenant, fact_key)
);

-- Daily totals per unit: scope 's' holds the facts credited to the unit
-- itself, 't' those credited to it or any unit below it.
CREATE TABLE {{prefix}}daily (
	tenant TEXT COLLATE "C" NOT NULL,
	scope  TEXT COLLATE "C" NOT NULL,
	metric TEXT COLLATE "C" NOT NULL,
	unit   TEXT COLLATE "C" NOT NULL,
	day    DATE NOT NULL,
	value  NUMERIC NOT NULL,
	n      NUMERIC NOT NULL,
	PRIMARY KEY (tenant, scope, metric, unit, day)
) WITH (fillfactor = 80); -- room on each page for HOT updates of the totals

CREATE TABLE {{prefix}}deals (
	tenant      TEXT COLLATE "C" NOT NULL,
	id          TEXT COLLATE "C" NOT NULL,
	funnel      TEXT COLLATE "C" NOT NULL,
	unit        TEXT COLLATE "C" NOT NULL,
	value       NUMERIC NOT NULL,
	currency    TEXT COLLATE "C" NOT NULL,
	last_stage  TEXT COLLATE "C" NOT NULL,
	transitions TEXT COLLATE "C" NOT NULL,
	PRIMARY KEY (tenant, id)
);

CREATE TABLE {{prefix}}alerts (
	tenant        TEXT COLLATE "C" NOT NULL,
	fingerprint   TEXT COLLATE "C" NOT NULL,
	rule          TEXT COLLATE "C" NOT NULL,
	labels        TEXT COLLATE "C" NOT NULL,
	state         TEXT COLLATE "C" NOT NULL,
	since         TIMESTAMPTZ NOT NULL,
	last_eval     TIMESTAMPTZ NOT NULL,
	fired_at      TIMESTAMPTZ NOT NULL,
	resolved_at   TIMESTAMPTZ NOT NULL,
	last_notified TIMESTAMPTZ NOT NULL,
	detector      BYTEA,
	version       BIGINT NOT NULL,
	PRIMARY KEY (tenant, fingerprint)
);

-- seq numbers notifications in enqueue order: ListUndelivered orders by
-- created_at, then seq.
CREATE TABLE {{prefix}}outbox (
	seq          BIGINT GENERATED ALWAYS AS IDENTITY,
	tenant       TEXT COLLATE "C" NOT NULL,
	note_key     TEXT COLLATE "C" NOT NULL,
	fingerprint  TEXT COLLATE "C" NOT NULL,
	payload      BYTEA,
	created_at   TIMESTAMPTZ NOT NULL,
	delivered_at TIMESTAMPTZ,
	PRIMARY KEY (tenant, note_key)
);
CREATE INDEX {{prefix}}outbox_undelivered ON {{prefix}}outbox (tenant, created_at, seq) WHERE delivered_at IS NULL;
