-- Own buckets only (issue 10): daily keeps the facts credited to each unit
-- itself; subtree totals are summed from them when read, along the org as
-- it was on each day. The subtree rows (scope 't') go, with the scope
-- column (part of the primary key, so the table is rebuilt), and so does
-- the units' internal flag, which only said which units had subtree rows.
CREATE TABLE {{prefix}}daily_own (
	tenant TEXT NOT NULL,
	metric TEXT NOT NULL,
	unit   TEXT NOT NULL,
	day    TEXT NOT NULL,
	v_hi   INTEGER NOT NULL,
	v_lo   INTEGER NOT NULL,
	n_hi   INTEGER NOT NULL,
	n_lo   INTEGER NOT NULL,
	PRIMARY KEY (tenant, metric, unit, day)
) WITHOUT ROWID;
INSERT INTO {{prefix}}daily_own (tenant, metric, unit, day, v_hi, v_lo, n_hi, n_lo)
	SELECT tenant, metric, unit, day, v_hi, v_lo, n_hi, n_lo FROM {{prefix}}daily WHERE scope = 's';
DROP TABLE {{prefix}}daily;
ALTER TABLE {{prefix}}daily_own RENAME TO {{prefix}}daily;

ALTER TABLE {{prefix}}units DROP COLUMN internal;
