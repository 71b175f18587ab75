-- Versions you can go back to: every saved version of a plan (recorded by
-- the engine with who saved it and why), names given to versions
-- (snapshots, never changed), and what-if copies of plans (scenarios). A
-- plan's goals are kept as one row of its versioned JSON (body: {"v":1,
-- "plan": goal.Plan's JSON}), since a version is always read whole.
CREATE TABLE {{prefix}}plan_versions (
	tenant  TEXT COLLATE "C" NOT NULL,
	plan    TEXT COLLATE "C" NOT NULL,
	version BIGINT NOT NULL,
	at      TIMESTAMPTZ NOT NULL,
	actor   TEXT COLLATE "C" NOT NULL,
	reason  TEXT COLLATE "C" NOT NULL,
	body    TEXT NOT NULL,
	PRIMARY KEY (tenant, plan, version)
);

CREATE TABLE {{prefix}}plan_snapshots (
	tenant  TEXT COLLATE "C" NOT NULL,
	plan    TEXT COLLATE "C" NOT NULL,
	name    TEXT COLLATE "C" NOT NULL,
	version BIGINT NOT NULL,
	at      TIMESTAMPTZ NOT NULL,
	actor   TEXT COLLATE "C" NOT NULL,
	reason  TEXT COLLATE "C" NOT NULL,
	PRIMARY KEY (tenant, plan, name),
	FOREIGN KEY (tenant, plan, version) REFERENCES {{prefix}}plan_versions (tenant, plan, version)
);

CREATE TABLE {{prefix}}plan_scenarios (
	tenant  TEXT COLLATE "C" NOT NULL,
	plan    TEXT COLLATE "C" NOT NULL,
	name    TEXT COLLATE "C" NOT NULL,
	base    BIGINT NOT NULL,
	version BIGINT NOT NULL,
	at      TIMESTAMPTZ NOT NULL,
	actor   TEXT COLLATE "C" NOT NULL,
	reason  TEXT COLLATE "C" NOT NULL,
	body    TEXT NOT NULL,
	PRIMARY KEY (tenant, plan, name)
);
