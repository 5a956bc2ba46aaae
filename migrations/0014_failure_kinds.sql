-- Every recorded delivery failure carries its kind (src/email/failure-kind.ts):
-- 'permanent' (the provider refused the address itself: never retried) or 'temporary'
-- (quota, rate limits, 5xx, timeouts, a stopped edition…: retry-failed sends it again).
-- Only failure rows carry it; a sent recipient still leaves nothing per recipient.

-- A failed batch (everyone in it failed for one reason) and its kind; NULL in any other state.
ALTER TABLE delivery_batches ADD COLUMN failure_kind TEXT CHECK (failure_kind IN ('permanent', 'temporary'));

-- A recipient refused one by one inside an accepted batch, and why.
ALTER TABLE delivery_failures ADD COLUMN kind TEXT NOT NULL DEFAULT 'temporary' CHECK (kind IN ('permanent', 'temporary'));

-- How many of the run's `failed` recipients failed permanently (the rest are temporary),
-- kept in the same transactions as `failed`.
ALTER TABLE delivery_runs ADD COLUMN failed_permanent INTEGER NOT NULL DEFAULT 0;

-- Failures recorded before kinds existed. Whole-batch failures were quota stops, timeouts,
-- stale claims and stopped editions: temporary. One-by-one refusals inside an accepted
-- batch were the provider refusing that address (permissive batch validation): permanent,
-- except the two notes this app wrote when the answer lacked an email's result.
UPDATE delivery_batches SET failure_kind = 'temporary' WHERE state = 'failed';
UPDATE delivery_failures SET kind = 'permanent'
WHERE error NOT IN ('the provider returned no id for this email', 'no result from the provider');
UPDATE delivery_runs SET failed_permanent =
  (SELECT COUNT(*) FROM delivery_failures WHERE edition_id = delivery_runs.edition_id AND kind = 'permanent');
