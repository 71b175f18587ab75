-- Nothing to change: PostgreSQL keeps bucket totals as NUMERIC, exact at any
-- size. SQLite's 0005 refuses bucket totals beyond its exact range; this file
-- keeps the two dialects' migration numbers in step.
SELECT 1;
