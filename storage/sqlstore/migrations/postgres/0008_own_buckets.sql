-- Own buckets only (issue 10): daily and monthly keep the facts credited to
-- each unit itself; subtree totals are summed from them when read, along
-- the org as it was on each day. The subtree rows (scope 't') go, with the
-- scope column, and so does the units' internal flag, which only said
-- which units had subtree rows.
DELETE FROM {{prefix}}daily WHERE scope <> 's';
ALTER TABLE {{prefix}}daily DROP COLUMN scope;
ALTER TABLE {{prefix}}daily ADD PRIMARY KEY (tenant, metric, unit, day);

DELETE FROM {{prefix}}monthly WHERE scope <> 's';
ALTER TABLE {{prefix}}monthly DROP COLUMN scope;
ALTER TABLE {{prefix}}monthly ADD PRIMARY KEY (tenant, metric, unit, month);

ALTER TABLE {{prefix}}units DROP COLUMN internal;
