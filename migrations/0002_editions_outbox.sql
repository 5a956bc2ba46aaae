-- Digest editions (one row per edition opened, by cron or by an operator) and the
-- local outbox that stands in for Resend when no RESEND_API_KEY is set.
CREATE TABLE editions (
  id TEXT PRIMARY KEY,
  digest_id TEXT NOT NULL,
  -- The cron's scheduled time (ISO); unique per digest so a retried cron opens nothing new.
  scheduled_for TEXT,
  subject TEXT NOT NULL,
  -- JSON array of the slugs of the items the edition carries.
  item_slugs TEXT NOT NULL,
  trigger TEXT NOT NULL CHECK (trigger IN ('cron', 'manual')),
  status TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'stopped')),
  error TEXT,
  created_at TEXT NOT NULL,
  completed_at TEXT
);
CREATE UNIQUE INDEX editions_schedule ON editions (digest_id, scheduled_for) WHERE scheduled_for IS NOT NULL;
CREATE INDEX editions_digest ON editions (digest_id, created_at);

CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  -- Same meaning as Resend's Idempotency-Key: a second message with it is not stored again.
  idempotency_key TEXT UNIQUE,
  from_address TEXT NOT NULL,
  to_address TEXT NOT NULL,
  subject TEXT NOT NULL,
  -- JSON object of extra headers (List-Unsubscribe, ...) and JSON array of tags.
  headers TEXT NOT NULL,
  tags TEXT NOT NULL,
  html TEXT NOT NULL,
  text TEXT NOT NULL,
  created_at TEXT NOT NULL
);
