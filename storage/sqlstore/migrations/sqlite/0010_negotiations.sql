-- The negotiation of each plan (issue 12): one row per (plan, unit) with
-- its optimistic version and the record as version-1 JSON text, and the log
-- of every move (who, when, before and after, why).
CREATE TABLE {{prefix}}negotiations (
	tenant  TEXT NOT NULL,
	plan    TEXT NOT NULL,
	unit    TEXT NOT NULL,
	version INTEGER NOT NULL,
	body    TEXT NOT NULL,
	PRIMARY KEY (tenant, plan, unit)
) WITHOUT ROWID;

CREATE TABLE {{prefix}}negotiation_events (
	seq    INTEGER PRIMARY KEY AUTOINCREMENT,
	tenant TEXT NOT NULL,
	plan   TEXT NOT NULL,
	unit   TEXT NOT NULL,
	actor  TEXT NOT NULL,
	at     INTEGER NOT NULL,
	move   TEXT NOT NULL,
	before TEXT NOT NULL,
	after  TEXT NOT NULL,
	reason TEXT NOT NULL
);
CREATE INDEX {{prefix}}negotiation_events_by_plan ON {{prefix}}negotiation_events (tenant, plan, at, seq);
