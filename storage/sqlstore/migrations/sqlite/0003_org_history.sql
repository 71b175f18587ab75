-- Org history and a linear org (issue 9): each unit keeps its earlier
-- parents (JSON, NULL when it never moved) and whether it has ever had a
-- child (so Sum reads the flags of the queried units only); the n²/2
-- ancestor closure goes (ancestors are walked from the parents, at most
-- goal.MaxDepth levels); the org carries a version every org write
-- increments.
ALTER TABLE {{prefix}}units ADD COLUMN earlier TEXT;
ALTER TABLE {{prefix}}units ADD COLUMN internal BOOLEAN NOT NULL DEFAULT 0;
UPDATE {{prefix}}units SET internal = 1
	WHERE EXISTS (SELECT 1 FROM {{prefix}}units c WHERE c.tenant = {{prefix}}units.tenant AND c.parent = {{prefix}}units.id);
DROP TABLE {{prefix}}ancestors;

CREATE TABLE {{prefix}}org (
	tenant  TEXT NOT NULL PRIMARY KEY,
	version INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO {{prefix}}org (tenant, version) SELECT DISTINCT tenant, 1 FROM {{prefix}}units;
