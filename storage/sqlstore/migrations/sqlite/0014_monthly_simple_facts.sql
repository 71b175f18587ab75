-- Monthly buckets and simple facts as their own daily buckets in SQLite
-- (issue 10), as PostgreSQL has them since 0006 and 0013.
--
-- monthly holds the own buckets per calendar month (month is the month's
-- first day) as exact integers at scale 10^-12, value = hi * 10^17 + lo:
-- a wider split than daily's (hi * 10^15 + lo) because monthly rows are
-- read as stored, never summed by SQLite, so a month's total may reach
-- ±9.2×10^23.
CREATE TABLE {{prefix}}monthly (
	tenant TEXT NOT NULL,
	metric TEXT NOT NULL,
	unit   TEXT NOT NULL,
	month  TEXT NOT NULL,
	v_hi   INTEGER NOT NULL,
	v_lo   INTEGER NOT NULL,
	n_hi   INTEGER NOT NULL,
	n_lo   INTEGER NOT NULL,
	PRIMARY KEY (tenant, metric, unit, month)
) WITHOUT ROWID;

-- Each daily row first as hi / 100 and the rest below 10^17 (at most
-- about 1.01×10^17, so a month of them sums within int64), then carried.
INSERT INTO {{prefix}}monthly (tenant, metric, unit, month, v_hi, v_lo, n_hi, n_lo)
SELECT tenant, metric, unit, month,
	SUM(vh) + SUM(vr) / 100000000000000000, SUM(vr) % 100000000000000000,
	SUM(nh) + SUM(nr) / 100000000000000000, SUM(nr) % 100000000000000000
FROM (SELECT tenant, metric, unit, substr(day, 1, 8) || '01' AS month,
		v_hi / 100 AS vh, v_hi % 100 * 1000000000000000 + v_lo AS vr,
		n_hi / 100 AS nh, n_hi % 100 * 1000000000000000 + n_lo AS nr
	FROM {{prefix}}daily)
GROUP BY tenant, metric, unit, month;

-- A fact stored from now on with no credits and no range carries its value
-- as daily's exact pair (v_hi, v_lo) and is its own daily bucket: daily
-- keeps only the parts of the other facts. The facts stored before keep
-- v_hi NULL and stay counted in daily, so no row is converted.
--
-- The partial index serves the days of partial months. It is keyed by
-- month, not day: its entries sort by fact key within each (metric,
-- month), so a batch of facts with keys close together adds its entries
-- to a few pages of each month, where a key by day puts them on a page of
-- every day. It covers what a reader needs (retracted too, which SQLite
-- checks though only live facts have entries), so a read touches no fact
-- row.
ALTER TABLE {{prefix}}facts ADD COLUMN v_hi INTEGER;
ALTER TABLE {{prefix}}facts ADD COLUMN v_lo INTEGER;
CREATE INDEX {{prefix}}facts_days ON {{prefix}}facts (tenant, metric, substr(day, 1, 7), fact_key, day, unit, v_hi, v_lo, retracted)
	WHERE v_hi IS NOT NULL AND NOT retracted;
