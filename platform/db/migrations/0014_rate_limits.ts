import type { Migration } from './migration';

export const migration: Migration = {
  name: '0014_rate_limits',
  sqlite: `
  -- Requests counted per window (per client address and route, and the like), in the database so that a
  -- limit holds across restarts and across several platform processes behind one load balancer.
  CREATE TABLE rate_limits (
    key         TEXT PRIMARY KEY,
    hits        INTEGER NOT NULL,
    window_ends INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX rate_limits_by_end ON rate_limits(window_ends);
  `,
  postgres: `
  CREATE TABLE rate_limits (
    key         TEXT PRIMARY KEY,
    hits        INTEGER NOT NULL,
    window_ends BIGINT NOT NULL
  );
  CREATE INDEX rate_limits_by_end ON rate_limits(window_ends);
  `,
};
