-- Outbox claims: a deliverer claims the notifications it sends until a lease
-- expires (ClaimUndelivered), so several deliverers send each one once and
-- a crashed deliverer's notifications come back after its lease.
-- claimed_until is microseconds since the Unix epoch, like the other times.
ALTER TABLE {{prefix}}outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE {{prefix}}outbox ADD COLUMN claimed_until INTEGER;
