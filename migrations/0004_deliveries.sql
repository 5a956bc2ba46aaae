-- Delivery ledger: one row per (edition, subscriber), written by the fan-out before
-- anything is sent and updated after the provider answers. A row marked sent is never
-- sent again, whatever retries, redeliveries or repeated triggers happen.
CREATE TABLE deliveries (
  edition_id TEXT NOT NULL REFERENCES editions (id),
  -- Erasing a subscriber erases their ledger rows too (the rows hold nothing else).
  subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  -- The provider batch (≤ 100 recipients) this row goes out in; with the edition it
  -- forms the batch's Idempotency-Key "<edition>/<batch>". Fan-out pages use
  -- 0..999999, retry rounds of failed recipients 1000000 × round + n.
  batch INTEGER NOT NULL,
  -- queued: written by the fan-out; sending: handed to the provider (payload frozen,
  -- a retry resends it under the same key); sent | failed | skipped: final.
  status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'skipped')),
  provider_id TEXT,
  error TEXT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (edition_id, subscriber_id)
);
CREATE INDEX deliveries_batch ON deliveries (edition_id, batch);
CREATE INDEX deliveries_status ON deliveries (edition_id, status);

-- Per-edition delivery state: where links point, whether the fan-out has written
-- every recipient, and how many retry rounds of failed recipients were opened.
CREATE TABLE delivery_runs (
  edition_id TEXT PRIMARY KEY REFERENCES editions (id),
  site_url TEXT NOT NULL,
  fanout_completed_at TEXT,
  retry_rounds INTEGER NOT NULL DEFAULT 0
);
