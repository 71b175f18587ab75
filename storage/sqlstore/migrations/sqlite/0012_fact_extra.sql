-- What few facts carry beyond the columns (kpi.Fact.End, WorkingDays and
-- Converted): a versioned JSON record, NULL for a fact of one day in its
-- metric's currency. The days of a range fact are in its parts.
ALTER TABLE {{prefix}}facts ADD COLUMN extra TEXT;
