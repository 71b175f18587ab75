-- goalkit storage schema for SQLite. {{prefix}} is the table prefix.
-- Decimals are TEXT (SQLite's NUMERIC would turn them into floating point);
-- days are ISO 'YYYY-MM-DD' TEXT; times are INTEGER microseconds since the
-- Unix epoch, UTC. Bucket totals are exact integers at scale 10^-12, split
-- into a high and a low part (value = hi * 10^15 + lo) so that SUM stays in
-- int64.

CREATE TABLE {{prefix}}lock (
	id INTEGER PRIMARY KEY,
	n  INTEGER NOT NULL
);
INSERT INTO {{prefix}}lock (id, n) VALUES (1, 0);

CREATE TABLE {{prefix}}units (
	tenant       TEXT NOT NULL,
	id           TEXT NOT NULL,
	pos          INTEGER NOT NULL,
	parent       TEXT NOT NULL,
	kind         TEXT NOT NULL,
	name         TEXT NOT NULL,
	active_from  TEXT NOT NULL,
	active_until TEXT NOT NULL,
	PRIMARY KEY (tenant, id)
) WITHOUT ROWID;

-- Closure of the org tree: every unit with itself (depth 0) and each ancestor.
CREATE TABLE {{prefix}}ancestors (
	tenant   TEXT NOT NULL,
	unit     TEXT NOT NULL,
	depth    INTEGER NOT NULL,
	ancestor TEXT NOT NULL,
	PRIMARY KEY (tenant, unit, depth)
) WITHOUT ROWID;

CREATE TABLE {{prefix}}plans (
	tenant  TEXT NOT NULL,
	id      TEXT NOT NULL,
	metric  TEXT NOT NULL,
	version INTEGER NOT NULL,
	goals   INTEGER NOT NULL,
	PRIMARY KEY (tenant, id)
) WITHOUT ROWID;

CREATE TABLE {{prefix}}goals (
	tenant    TEXT NOT NULL,
	plan      TEXT NOT NULL,
	pos       INTEGER NOT NULL,
	id        TEXT NOT NULL,
	parent    TEXT NOT NULL,
	metric    TEXT NOT NULL,
	unit      TEXT NOT NULL,
	grain     INTEGER NOT NULL,
	start_day TEXT NOT NULL,
	end_day   TEXT NOT NULL,
	label     TEXT NOT NULL,
	target    TEXT NOT NULL,
	stretch   TEXT,
	floor     TEXT,
	locked    BOOLEAN NOT NULL,
	PRIMARY KEY (tenant, plan, pos)
) WITHOUT ROWID;

CREATE TABLE {{prefix}}audit (
	seq    INTEGER PRIMARY KEY AUTOINCREMENT,
	tenant TEXT NOT NULL,
	plan   TEXT NOT NULL,
	goal   TEXT NOT NULL,
	actor  TEXT NOT NULL,
	at     INTEGER NOT NULL,
	old    TEXT,
	new    TEXT,
	reason TEXT NOT NULL
);
CREATE INDEX {{prefix}}audit_by_plan ON {{prefix}}audit (tenant, plan, at, seq);

CREATE TABLE {{prefix}}facts (
	tenant    TEXT NOT NULL,
	fact_key  TEXT NOT NULL,
	metric    TEXT NOT NULL,
	unit      TEXT NOT NULL,
	day       TEXT NOT NULL,
	value     TEXT NOT NULL,
	currency  TEXT NOT NULL,
	credits   TEXT,
	dims      TEXT,
	parts     TEXT,
	retracted BOOLEAN NOT NULL,
	PRIMARY KEY (tenant, fact_key)
) WITHOUT ROWID;

-- Daily totals per unit: scope 's' holds the facts credited to the unit
-- itself, 't' those credited to it or any unit below it.
CREATE TABLE {{prefix}}daily (
	tenant TEXT NOT NULL,
	scope  TEXT NOT NULL,
	metric TEXT NOT NULL,
	unit   TEXT NOT NULL,
	day    TEXT NOT NULL,
	v_hi   INTEGER NOT NULL,
	v_lo   INTEGER NOT NULL,
	n_hi   INTEGER NOT NULL,
	n_lo   INTEGER NOT NULL,
	PRIMARY KEY (tenant, scope, metric, unit, day)
) WITHOUT ROWID;

CREATE TABLE {{prefix}}deals (
	tenant      TEXT NOT NULL,
	id          TEXT NOT NULL,
	funnel      TEXT NOT NULL,
	unit        TEXT NOT NULL,
	value       TEXT NOT NULL,
	currency    TEXT NOT NULL,
	last_stage  TEXT NOT NULL,
	transitions TEXT NOT NULL,
	PRIMARY KEY (tenant, id)
) WITHOUT ROWID;

CREATE TABLE {{prefix}}alerts (
	tenant        TEXT NOT NULL,
	fingerprint   TEXT NOT NULL,
	rule          TEXT NOT NULL,
	labels        TEXT NOT NULL,
	state         TEXT NOT NULL,
	since         INTEGER NOT NULL,
	last_eval     INTEGER NOT NULL,
	fired_at      INTEGER NOT NULL,
	resolved_at   INTEGER NOT NULL,
	last_notified INTEGER NOT NULL,
	detector      BLOB,
	version       INTEGER NOT NULL,
	PRIMARY KEY (tenant, fingerprint)
) WITHOUT ROWID;

-- seq numbers notifications in enqueue order: ListUndelivered orders by
-- created_at, then seq.
CREATE TABLE {{prefix}}outbox (
	seq          INTEGER PRIMARY KEY AUTOINCREMENT,
	tenant       TEXT NOT NULL,
	note_key     TEXT NOT NULL,
	fingerprint  TEXT NOT NULL,
	payload      BLOB,
	created_at   INTEGER NOT NULL,
	delivered_at INTEGER,
	UNIQUE (tenant, note_key)
);
CREATE INDEX {{prefix}}outbox_undelivered ON {{prefix}}outbox (tenant, created_at, seq) WHERE delivered_at IS NULL;
