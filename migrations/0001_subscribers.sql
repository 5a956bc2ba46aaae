-- Subscribers, their per-digest subscriptions and an append-only event log.
CREATE TABLE subscribers (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  -- Normalised: trimmed, domain lower-cased.
  email TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'unsubscribed', 'suppressed')),
  consent_at TEXT,
  consent_source TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX subscribers_status ON subscribers (status, id);

CREATE TABLE subscriptions (
  subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  digest_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (subscriber_id, digest_id)
);
CREATE INDEX subscriptions_digest ON subscriptions (digest_id, subscriber_id);

CREATE TABLE subscriber_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  -- NULL once the subscriber is erased: the event stays, anonymised.
  subscriber_id INTEGER REFERENCES subscribers (id) ON DELETE SET NULL,
  type TEXT NOT NULL CHECK (type IN ('subscribed', 'confirmed', 'unsubscribed', 'bounced', 'complained', 'preferences', 'imported', 'erased')),
  detail TEXT,
  -- Provider event id (webhooks): processing the same event twice changes nothing.
  external_id TEXT UNIQUE,
  created_at TEXT NOT NULL
);
CREATE INDEX subscriber_events_subscriber ON subscriber_events (subscriber_id);
