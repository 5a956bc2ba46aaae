-- Confirmation links are bound to the request they answer: every subscribe request that
-- sends a confirmation moves the generation on, and a link carries the generation it was
-- issued with. A link from an earlier request (superseded) or one already used confirms
-- nothing. Rows from before this migration are generation 0, as are the links they were sent.
ALTER TABLE subscribers ADD COLUMN confirm_generation INTEGER NOT NULL DEFAULT 0;

-- Console sign-ins. The cookie names a row here; signing out deletes that row, signing
-- out everywhere deletes all of them, and every console request checks its row is still
-- here, so a copied cookie dies with its session.
CREATE TABLE console_sessions (
  id TEXT PRIMARY KEY,
  -- Unix seconds; a row past it is as good as gone, and is deleted at the next sign-in.
  expires_at INTEGER NOT NULL,
  created_at TEXT NOT NULL
);
