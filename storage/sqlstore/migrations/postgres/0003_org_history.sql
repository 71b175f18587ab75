-- Org history and a linear org (issue 9): each unit keeps its earlier
-- parents (JSON, NULL when it never moved) and whether it has ever had a
-- child (so Sum reads the flags of the queried units only); the n²/2
-- ancestor closure goes (ancestors are walked from the parents, at most
-- goal.MaxDepth levels); the org carries a version every org write
-- increments.
ALTER TABLE {{prefix}}units ADD COLUMN earlier TEXT COLLATE "C";
ALTER TABLE {{prefix}}units ADD COLUMN internal BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE {{prefix}}units u SET internal = TRUE
	WHERE EXISTS (SELECT 1 FROM {{prefix}}units c WHERE c.tenant = u.tenant AND c.parent = u.id);
DROP TABLE {{prefix}}ancestors;

CREATE TABLE {{prefix}}org (
	tenant  TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	version BIGINT NOT NULL
);
INSERT INTO {{prefix}}org (tenant, version) SELECT DISTINCT tenant, 1 FROM {{prefix}}units;
