-- Simple facts are their own daily buckets (issue 10): a fact with no
-- credits and no range (its parts column is NULL) is read as a daily bucket
-- from its own row, through a covering index on (tenant, metric, day) that
-- only live simple facts enter, and table daily keeps only the parts of
-- split and range facts. An index entry costs about half of a daily upsert
-- and writes far less WAL. Monthly keeps every fact, as before.
CREATE INDEX {{prefix}}facts_days ON {{prefix}}facts (tenant, metric, day) INCLUDE (unit, value)
	WHERE parts IS NULL AND NOT retracted;

DELETE FROM {{prefix}}daily;
INSERT INTO {{prefix}}daily (tenant, metric, unit, day, value, n)
SELECT f.tenant, f.metric, p->>'u', COALESCE((p->>'d')::date, f.day),
	SUM(COALESCE((p->>'v')::numeric, 0)), SUM((p->>'s')::numeric)
FROM {{prefix}}facts f, json_array_elements(f.parts::json) p
WHERE f.parts IS NOT NULL AND NOT f.retracted
GROUP BY 1, 2, 3, 4;
