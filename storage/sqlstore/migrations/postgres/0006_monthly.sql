-- Monthly totals: the own (scope 's') and subtree (scope 't') buckets summed
-- per calendar month (month is the month's first day), kept in the same
-- transaction as the daily rows. From here on the daily table holds the own
-- buckets only: a subtree's days are summed over the closure when a range
-- has partial months, and its months are read from here.
CREATE TABLE {{prefix}}monthly (
	tenant TEXT COLLATE "C" NOT NULL,
	scope  TEXT COLLATE "C" NOT NULL,
	metric TEXT COLLATE "C" NOT NULL,
	unit   TEXT COLLATE "C" NOT NULL,
	month  DATE NOT NULL,
	value  NUMERIC NOT NULL,
	n      NUMERIC NOT NULL,
	PRIMARY KEY (tenant, scope, metric, unit, month)
) WITH (fillfactor = 80);

INSERT INTO {{prefix}}monthly (tenant, scope, metric, unit, month, value, n)
SELECT tenant, scope, metric, unit, date_trunc('month', day)::date, SUM(value), SUM(n)
FROM {{prefix}}daily
GROUP BY tenant, scope, metric, unit, date_trunc('month', day)::date;

DELETE FROM {{prefix}}daily WHERE scope = 't';
