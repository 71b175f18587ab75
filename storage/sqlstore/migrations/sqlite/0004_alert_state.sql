-- Alert states say what they hold (an alert instance or a stream's
-- detector) and when they stopped being live (retired, NULL while live), so
-- an evaluation reads only live states of one kind (the partial index
-- alerts_live) and retired states are pruned after a retention (the partial
-- index alerts_retired). Rows written before: the engine's "watching" rows
-- are detectors, its "inactive" rows retired at their last evaluation.
ALTER TABLE {{prefix}}alerts ADD COLUMN kind TEXT NOT NULL DEFAULT 'instance';
ALTER TABLE {{prefix}}alerts ADD COLUMN retired INTEGER;
UPDATE {{prefix}}alerts SET kind = 'detector' WHERE state = 'watching';
UPDATE {{prefix}}alerts SET retired = last_eval WHERE state = 'inactive';
CREATE INDEX {{prefix}}alerts_live ON {{prefix}}alerts (tenant, kind, fingerprint) WHERE retired IS NULL;
CREATE INDEX {{prefix}}alerts_retired ON {{prefix}}alerts (tenant, retired) WHERE retired IS NOT NULL;
