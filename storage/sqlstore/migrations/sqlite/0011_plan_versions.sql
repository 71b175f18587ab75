-- Versions you can go back to: every saved version of a plan (recorded by
-- the engine with who saved it and why), names given to versions
-- (snapshots, never changed), and what-if copies of plans (scenarios). A
-- plan's goals are kept as one row of its versioned JSON (body: {"v":1,
-- "plan": goal.Plan's JSON}), since a version is always read whole. Times
-- are microseconds since the Unix epoch, as everywhere in SQLite.
CREATE TABLE {{prefix}}plan_versions (
	tenant  TEXT NOT NULL,
	plan    TEXT NOT NULL,
	version INTEGER NOT NULL,
	at      INTEGER NOT NULL,
	actor   TEXT NOT NULL,
	reason  TEXT NOT NULL,
	body    TEXT NOT NULL,
	PRIMARY KEY (tenant, plan, version)
) WITHOUT ROWID;

CREATE TABLE {{prefix}}plan_snapshots (
	tenant  TEXT NOT NULL,
	plan    TEXT NOT NULL,
	name    TEXT NOT NULL,
	version INTEGER NOT NULL,
	at      INTEGER NOT NULL,
	actor   TEXT NOT NULL,
	reason  TEXT NOT NULL,
	PRIMARY KEY (tenant, plan, name)
) WITHOUT ROWID;

CREATE TABLE {{prefix}}plan_scenarios (
	tenant  TEXT NOT NULL,
	plan    TEXT NOT NULL,
	name    TEXT NOT NULL,
	base    INTEGER NOT NULL,
	version INTEGER NOT NULL,
	at      INTEGER NOT NULL,
	actor   TEXT NOT NULL,
	reason  TEXT NOT NULL,
	body    TEXT NOT NULL,
	PRIMARY KEY (tenant, plan, name)
) WITHOUT ROWID;
