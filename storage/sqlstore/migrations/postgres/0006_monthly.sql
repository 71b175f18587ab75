-- Monthly totals: the own (scope 's') and subtree (scope 't') daily buckets
-- summed per calendar month (month is the month's first day), kept in the
-- same statement as the daily rows, so whole months are read without
-- summing their days.
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
