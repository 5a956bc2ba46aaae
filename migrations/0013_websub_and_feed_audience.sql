-- WebSub (src/feeds/websub-*.ts): the Worker is the hub of its own feeds.
-- A verified subscription: the callback receives the topic's body when it changes, until
-- expires_at (unix ms); the maintenance cron deletes expired rows. Only verified intent is
-- stored: a request whose verification failed leaves no row.
CREATE TABLE websub_subscriptions (
  topic TEXT NOT NULL,
  callback TEXT NOT NULL,
  -- hub.secret as given (at most 200 bytes), for X-Hub-Signature; NULL when none was given.
  secret TEXT,
  lease_seconds INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (topic, callback)
);
CREATE INDEX websub_subscriptions_expiry ON websub_subscriptions (expires_at);

-- The SHA-256 of each subscribed topic's body as last published: a new content version
-- notifies only the topics whose body changed.
CREATE TABLE websub_topics (
  topic TEXT PRIMARY KEY,
  body_hash TEXT NOT NULL
);

-- The content version (src/content/generated.ts contentHash) last published: one row.
CREATE TABLE websub_published (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  content_hash TEXT NOT NULL,
  published_at INTEGER NOT NULL
);

-- The RSS audience (src/feeds/feed-audience.ts): per Beijing day and feed path, one row per
-- reader service with the subscriber count its User-Agent reported, and one row per other
-- client (a keyed hash of the day, address and User-Agent: neither is stored) counting 1.
CREATE TABLE feed_audience (
  day TEXT NOT NULL,
  feed TEXT NOT NULL,
  -- A service's name ("Feedly"), or "client:" and 16 hex digits for another client.
  fetcher TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('service', 'client')),
  readers INTEGER NOT NULL,
  PRIMARY KEY (day, feed, fetcher)
) WITHOUT ROWID;
