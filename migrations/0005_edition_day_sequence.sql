-- Opening an edition is one atomic statement: each edition names its Beijing day and
-- its sequence within that day, unique per digest, and the statement that inserts it
-- computes the next sequence (and, for a non-forced send, checks the day is still
-- empty) itself, so two triggers at once can never open the same day twice.
ALTER TABLE editions ADD COLUMN edition_date TEXT;
ALTER TABLE editions ADD COLUMN sequence INTEGER;

-- Editions opened before this migration: ids are "<digest>-<YYYY-MM-DD>" (sequence 1)
-- or "<digest>-<YYYY-MM-DD>-<n>"; any other id keeps NULLs (NULLs never collide).
UPDATE editions
SET edition_date = substr(id, length(digest_id) + 2, 10),
    sequence = CASE WHEN length(id) = length(digest_id) + 11 THEN 1 ELSE CAST(substr(id, length(digest_id) + 13) AS INTEGER) END
WHERE substr(id, 1, length(digest_id) + 1) = digest_id || '-'
  AND substr(id, length(digest_id) + 2, 10) GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
  AND (length(id) = length(digest_id) + 11
       OR (substr(id, length(digest_id) + 12, 1) = '-'
           AND length(id) > length(digest_id) + 12
           AND substr(id, length(digest_id) + 13) NOT GLOB '*[^0-9]*'));

CREATE UNIQUE INDEX editions_day_sequence ON editions (digest_id, edition_date, sequence);

-- The recovery sweep looks for ledger rows still waiting (queued or sending) across
-- all editions every few minutes: a small partial index keeps that cheap.
CREATE INDEX deliveries_unsettled ON deliveries (edition_id) WHERE status IN ('queued', 'sending');
