-- Fixed-window counters for POST /api/subscribe: one row per key ("ip:<addr>" or
-- "email:<keyed hash>", never a plain address), reset when a new window starts.
CREATE TABLE rate_limits (
  key TEXT PRIMARY KEY,
  -- Unix seconds at which the current window began.
  window_start INTEGER NOT NULL,
  count INTEGER NOT NULL
);
CREATE INDEX rate_limits_window ON rate_limits (window_start);
