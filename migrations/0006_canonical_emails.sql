-- One mailbox, one identity: emails are stored canonical (lower-cased whole, domain in
-- ASCII). Until now only the domain was lower-cased, so "Reader@x" and "reader@x" could
-- be two subscribers. Stored domains are already ASCII (the old validation allowed
-- nothing else), so lower() is the whole canonicalisation here.
--
-- Where several rows fold into one address, one survives: the one with the most
-- protective status (suppressed > unsubscribed > active > pending), so folding never
-- mails someone who left or whose address bounced; among equals the oldest (lowest id).
-- The others' event history moves to the survivor, as does their delivery ledger where
-- the survivor has no row for that edition; the survivor keeps its own digests.
CREATE TABLE canonical_email_merge (id INTEGER PRIMARY KEY, survivor INTEGER NOT NULL);

INSERT INTO canonical_email_merge (id, survivor)
SELECT id, survivor FROM (
  SELECT id, first_value(id) OVER (
    PARTITION BY lower(email)
    ORDER BY CASE status WHEN 'suppressed' THEN 0 WHEN 'unsubscribed' THEN 1 WHEN 'active' THEN 2 ELSE 3 END, id
  ) AS survivor
  FROM subscribers
)
WHERE id <> survivor;

UPDATE subscriber_events
SET subscriber_id = (SELECT survivor FROM canonical_email_merge WHERE id = subscriber_events.subscriber_id)
WHERE subscriber_id IN (SELECT id FROM canonical_email_merge);

UPDATE OR IGNORE deliveries
SET subscriber_id = (SELECT survivor FROM canonical_email_merge WHERE id = deliveries.subscriber_id)
WHERE subscriber_id IN (SELECT id FROM canonical_email_merge);

-- Cascades to their subscriptions and to ledger rows the survivor already had.
DELETE FROM subscribers WHERE id IN (SELECT id FROM canonical_email_merge);

DROP TABLE canonical_email_merge;

UPDATE subscribers SET email = lower(email) WHERE email <> lower(email);
