-- A ledger that stays small, and counters a page reads instead of counting a table.
--
-- 1. The delivery ledger becomes one row per provider batch (≤ 100 recipients) instead of
--    one row per recipient: the recipients are a JSON array of subscriber ids (~8 bytes
--    each), the batch's state and counts sit beside them. A send of N readers writes
--    about 3 rows per 100 (fan-out, claim, settle). Per-recipient failures inside an
--    accepted batch (rare) go to a side table.
-- 2. Subscriber counts (by status, active readers per digest) and the event log's daily
--    counts are kept by triggers, in the statement that changes a row, so the console
--    never counts a million rows.

CREATE TABLE delivery_batches (
  edition_id TEXT NOT NULL,
  -- With the edition, the batch's Idempotency-Key "<edition>/<batch>". Fan-out pages
  -- number batches 0..999999 in ascending subscriber order, retry rounds of failed
  -- recipients 1000000 × round + n.
  batch INTEGER NOT NULL,
  -- queued: written by the fan-out; sending: handed to the provider (recipients frozen:
  -- a retry resends exactly them under the same key); sent: accepted (recipients are
  -- those it was sent to); failed: nobody in it was sent (error says why); retried:
  -- its recipients moved to a retry round's batches.
  state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'retried')),
  -- JSON array of subscriber ids, ascending, and how many.
  recipients TEXT NOT NULL,
  size INTEGER NOT NULL,
  -- Recipients written by the fan-out (a redelivered fan-out step reports the page from
  -- these, whatever the batch became since) and the id range they span.
  planned INTEGER NOT NULL,
  first_id INTEGER NOT NULL,
  last_id INTEGER NOT NULL,
  -- Left out right before sending: no longer active or subscribed.
  skipped INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (edition_id, batch)
) WITHOUT ROWID;
-- Which batch holds a subscriber (bounce and complaint attribution): the fan-out batch
-- is the first whose range ends at or after the id; covering, so no row is read to find it.
CREATE INDEX delivery_batches_range ON delivery_batches (edition_id, last_id, first_id);

-- Recipients refused one by one inside a batch the provider otherwise accepted.
CREATE TABLE delivery_failures (
  edition_id TEXT NOT NULL,
  subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  batch INTEGER NOT NULL,
  error TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (edition_id, subscriber_id)
) WITHOUT ROWID;

-- opened_at: when the edition's delivery began (retention and attribution windows).
-- queued, sent, failed, skipped: recipients in each state, and unsettled_batches: batches
-- queued or sending, all kept in the transactions that change the batches, so counts and
-- "is everything settled?" are one row read, not a scan of the edition's batches.
-- settled_at: when the last batch settled (cleared by a retry round).
-- bounced, complained: permanent bounces and complaints of its recipients within
-- ATTRIBUTION_DAYS, counted as the webhook applies them.
-- retained_at: when retention dropped the per-recipient record of what was sent.
ALTER TABLE delivery_runs ADD COLUMN opened_at TEXT;
ALTER TABLE delivery_runs ADD COLUMN queued INTEGER NOT NULL DEFAULT 0;
ALTER TABLE delivery_runs ADD COLUMN sent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE delivery_runs ADD COLUMN failed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE delivery_runs ADD COLUMN skipped INTEGER NOT NULL DEFAULT 0;
ALTER TABLE delivery_runs ADD COLUMN unsettled_batches INTEGER NOT NULL DEFAULT 0;
ALTER TABLE delivery_runs ADD COLUMN settled_at TEXT;
ALTER TABLE delivery_runs ADD COLUMN bounced INTEGER NOT NULL DEFAULT 0;
ALTER TABLE delivery_runs ADD COLUMN complained INTEGER NOT NULL DEFAULT 0;
ALTER TABLE delivery_runs ADD COLUMN retained_at TEXT;

UPDATE delivery_runs SET opened_at = (SELECT created_at FROM editions WHERE id = delivery_runs.edition_id);
UPDATE delivery_runs SET opened_at = '1970-01-01T00:00:00.000Z' WHERE opened_at IS NULL;

-- The old ledger, folded into batches: unsettled rows stay unsettled (a sending batch
-- keeps its frozen recipients), sent rows become sent batches, failed rows failures.
CREATE TABLE old_batches AS
SELECT edition_id, batch,
       CASE WHEN SUM(status = 'sending') > 0 THEN 'sending' WHEN SUM(status = 'queued') > 0 THEN 'queued' ELSE 'sent' END AS state,
       COUNT(*) AS planned, MIN(subscriber_id) AS first_id, MAX(subscriber_id) AS last_id,
       SUM(status = 'skipped') AS skipped, MAX(updated_at) AS updated_at
FROM deliveries GROUP BY edition_id, batch;

INSERT INTO delivery_batches (edition_id, batch, state, recipients, size, planned, first_id, last_id, skipped, updated_at)
SELECT k.edition_id, k.batch, k.state,
       (SELECT json_group_array(subscriber_id) FROM (
          SELECT subscriber_id FROM deliveries d
          WHERE d.edition_id = k.edition_id AND d.batch = k.batch AND d.status = k.state ORDER BY subscriber_id)),
       (SELECT COUNT(*) FROM deliveries d WHERE d.edition_id = k.edition_id AND d.batch = k.batch AND d.status = k.state),
       k.planned, k.first_id, k.last_id, k.skipped, k.updated_at
FROM old_batches k;

DROP TABLE old_batches;

INSERT INTO delivery_failures (edition_id, subscriber_id, batch, error, updated_at)
SELECT edition_id, subscriber_id, batch, COALESCE(error, 'unknown'), updated_at FROM deliveries WHERE status = 'failed';

UPDATE delivery_runs SET
  queued = (SELECT COUNT(*) FROM deliveries WHERE edition_id = delivery_runs.edition_id AND status IN ('queued', 'sending')),
  sent = (SELECT COUNT(*) FROM deliveries WHERE edition_id = delivery_runs.edition_id AND status = 'sent'),
  failed = (SELECT COUNT(*) FROM deliveries WHERE edition_id = delivery_runs.edition_id AND status = 'failed'),
  skipped = (SELECT COUNT(*) FROM deliveries WHERE edition_id = delivery_runs.edition_id AND status = 'skipped'),
  unsettled_batches = (SELECT COUNT(*) FROM delivery_batches WHERE edition_id = delivery_runs.edition_id AND state IN ('queued', 'sending'));
UPDATE delivery_runs SET settled_at = opened_at WHERE unsettled_batches = 0 AND fanout_completed_at IS NOT NULL;

-- Bounces and complaints attributed as the console did until now: events of recipients
-- sent the edition, within ATTRIBUTION_DAYS (7) of its opening.
UPDATE delivery_runs SET
  bounced = (SELECT COUNT(*) FROM subscriber_events ev JOIN deliveries d ON d.subscriber_id = ev.subscriber_id
             WHERE d.edition_id = delivery_runs.edition_id AND d.status = 'sent' AND ev.type = 'bounced' AND ev.detail LIKE 'Permanent%'
               AND ev.created_at >= delivery_runs.opened_at AND ev.created_at < strftime('%Y-%m-%dT%H:%M:%fZ', delivery_runs.opened_at, '+7 days')),
  complained = (SELECT COUNT(*) FROM subscriber_events ev JOIN deliveries d ON d.subscriber_id = ev.subscriber_id
             WHERE d.edition_id = delivery_runs.edition_id AND d.status = 'sent' AND ev.type = 'complained'
               AND ev.created_at >= delivery_runs.opened_at AND ev.created_at < strftime('%Y-%m-%dT%H:%M:%fZ', delivery_runs.opened_at, '+7 days'));

DROP TABLE deliveries;

-- The console's search: the start of an address (the email index) or of its domain (this one).
CREATE INDEX subscribers_domain ON subscribers (substr(email, instr(email, '@') + 1));

-- Subscriber counters: "status:<status>" (every subscriber) and "digest:<id>" (active
-- subscribers of a digest, i.e. its recipients).
CREATE TABLE subscriber_counts (
  key TEXT PRIMARY KEY,
  n INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO subscriber_counts (key, n) SELECT 'status:' || status, COUNT(*) FROM subscribers GROUP BY status;
INSERT INTO subscriber_counts (key, n)
SELECT 'digest:' || sub.digest_id, COUNT(*) FROM subscriptions sub JOIN subscribers s ON s.id = sub.subscriber_id
WHERE s.status = 'active' GROUP BY sub.digest_id;

CREATE TRIGGER subscriber_counts_insert AFTER INSERT ON subscribers BEGIN
  INSERT INTO subscriber_counts (key, n) VALUES ('status:' || new.status, 1)
    ON CONFLICT (key) DO UPDATE SET n = n + 1;
END;

-- A subscriber's subscriptions go first, while the row still says whether they counted.
CREATE TRIGGER subscriber_counts_delete BEFORE DELETE ON subscribers BEGIN
  DELETE FROM subscriptions WHERE subscriber_id = old.id;
  UPDATE subscriber_counts SET n = n - 1 WHERE key = 'status:' || old.status;
END;

CREATE TRIGGER subscriber_counts_status AFTER UPDATE OF status ON subscribers WHEN old.status IS NOT new.status BEGIN
  UPDATE subscriber_counts SET n = n - 1 WHERE key = 'status:' || old.status;
  INSERT INTO subscriber_counts (key, n) VALUES ('status:' || new.status, 1)
    ON CONFLICT (key) DO UPDATE SET n = n + 1;
  INSERT INTO subscriber_counts (key, n)
    SELECT 'digest:' || digest_id, CASE WHEN new.status = 'active' THEN 1 ELSE -1 END FROM subscriptions
    WHERE subscriber_id = new.id AND (old.status = 'active' OR new.status = 'active')
    ON CONFLICT (key) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER subscriber_counts_subscribe AFTER INSERT ON subscriptions
WHEN (SELECT status FROM subscribers WHERE id = new.subscriber_id) = 'active' BEGIN
  INSERT INTO subscriber_counts (key, n) VALUES ('digest:' || new.digest_id, 1)
    ON CONFLICT (key) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER subscriber_counts_unsubscribe AFTER DELETE ON subscriptions
WHEN (SELECT status FROM subscribers WHERE id = old.subscriber_id) = 'active' BEGIN
  UPDATE subscriber_counts SET n = n - 1 WHERE key = 'digest:' || old.digest_id;
END;

-- The event log per Beijing day and type (the console's growth plot), kept as events are
-- written; erasing a subscriber removes their events but not these anonymous counts.
CREATE TABLE subscriber_event_days (
  day TEXT NOT NULL,
  type TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (day, type)
) WITHOUT ROWID;

INSERT INTO subscriber_event_days (day, type, n)
SELECT date(created_at, '+8 hours'), type, COUNT(*) FROM subscriber_events GROUP BY 1, 2;

CREATE TRIGGER subscriber_event_days_insert AFTER INSERT ON subscriber_events BEGIN
  INSERT INTO subscriber_event_days (day, type, n) VALUES (date(new.created_at, '+8 hours'), new.type, 1)
    ON CONFLICT (day, type) DO UPDATE SET n = n + 1;
END;
