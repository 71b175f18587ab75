-- The negotiation of each plan (issue 12): one row per (plan, unit) with
-- its optimistic version and the record as version-1 JSON text, and the log
-- of every move (who, when, before and after, why).
CREATE TABLE {{prefix}}negotiations (
	tenant  TEXT COLLATE "C" NOT NULL,
	plan    TEXT COLLATE "C" NOT NULL,
	unit    TEXT COLLATE "C" NOT NULL,
	version BIGINT NOT NULL,
	body    TEXT NOT NULL,
	PRIMARY KEY (tenant, plan, unit)
);

CREATE TABLE {{prefix}}negotiation_events (
	seq    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	tenant TEXT COLLATE "C" NOT NULL,
	plan   TEXT COLLATE "C" NOT NULL,
	unit   TEXT COLLATE "C" NOT NULL,
	actor  TEXT COLLATE "C" NOT NULL,
	at     TIMESTAMPTZ NOT NULL,
	move   TEXT COLLATE "C" NOT NULL,
	before TEXT NOT NULL,
	after  TEXT NOT NULL,
	reason TEXT COLLATE "C" NOT NULL
);
CREATE INDEX {{prefix}}negotiation_events_by_plan ON {{prefix}}negotiation_events (tenant, plan, at, seq);
