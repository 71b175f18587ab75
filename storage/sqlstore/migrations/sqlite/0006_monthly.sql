-- Monthly totals beside the daily ones: the same buckets summed per calendar
-- month (month is the month's first day, ISO text), kept in the same
-- transaction as the daily rows, so a range made of whole months reads one
-- row a month. Totals are hi*10^18 + lo at scale 10^-12 like the daily ones;
-- lo is summed in two halves so that no SUM can overflow.
CREATE TABLE {{prefix}}monthly (
	tenant TEXT NOT NULL,
	scope  TEXT NOT NULL,
	metric TEXT NOT NULL,
	unit   TEXT NOT NULL,
	month  TEXT NOT NULL,
	v_hi   INTEGER NOT NULL,
	v_lo   INTEGER NOT NULL,
	n_hi   INTEGER NOT NULL,
	n_lo   INTEGER NOT NULL,
	PRIMARY KEY (tenant, scope, metric, unit, month)
) WITHOUT ROWID;

INSERT INTO {{prefix}}monthly (tenant, scope, metric, unit, month, v_hi, v_lo, n_hi, n_lo)
SELECT tenant, scope, metric, unit, month,
	vh + va / 1000000000 + ((va % 1000000000) * 1000000000 + vb) / 1000000000000000000,
	((va % 1000000000) * 1000000000 + vb) % 1000000000000000000,
	nh + na / 1000000000 + ((na % 1000000000) * 1000000000 + nb) / 1000000000000000000,
	((na % 1000000000) * 1000000000 + nb) % 1000000000000000000
FROM (
	SELECT tenant, scope, metric, unit, substr(day, 1, 7) || '-01' AS month,
		SUM(v_hi) AS vh, SUM(v_lo / 1000000000) AS va, SUM(v_lo % 1000000000) AS vb,
		SUM(n_hi) AS nh, SUM(n_lo / 1000000000) AS na, SUM(n_lo % 1000000000) AS nb
	FROM {{prefix}}daily
	GROUP BY tenant, scope, metric, unit, substr(day, 1, 7)
);
