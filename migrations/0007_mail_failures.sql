-- Transactional mail (confirmations, welcomes, goodbyes) the provider refused or that could not be
-- sent after every retry: shown on the console's dashboard, so no accepted request is
-- dropped silently. Only failures are kept; a sent email leaves no row.
CREATE TABLE mail_failures (
  id INTEGER PRIMARY KEY,
  -- "confirmation", "welcome" or "goodbye".
  kind TEXT NOT NULL,
  recipient TEXT NOT NULL,
  -- The provider's words, or why it could not be reached.
  reason TEXT NOT NULL,
  failed_at TEXT NOT NULL
);
CREATE INDEX mail_failures_failed_at ON mail_failures (failed_at);
