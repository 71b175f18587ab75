-- A deal's expected close date (funnel.Deal.ExpectedClose), NULL when the
-- host gave none. Before this column it was dropped on write.
ALTER TABLE {{prefix}}deals ADD COLUMN expected_close DATE;
