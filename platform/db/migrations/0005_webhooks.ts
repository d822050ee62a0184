import type { Migration } from './migration';

export const migration: Migration = {
  name: '0005_webhooks',
  // Exactly the text this step had in the schema.ts it came from, so databases made by it upgrade.
  sqlite: `
  -- One webhook per tenant, for the integrations that carry out custom requests; its secret sealed.
  CREATE TABLE webhooks (
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    environment     TEXT NOT NULL CHECK (environment IN ('test','live')),
    url             TEXT NOT NULL,
    secret_sealed   BLOB NOT NULL,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (organization_id, environment)
  ) STRICT;

  CREATE TABLE webhook_deliveries (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL,
    environment     TEXT NOT NULL,
    request_id      TEXT NOT NULL,
    body            TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending','delivered','gave-up')),
    attempts        INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    created_at      INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);

  CREATE TABLE webhook_attempts (
    delivery_id TEXT NOT NULL REFERENCES webhook_deliveries(id),
    attempt     INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    status_code INTEGER,
    error       TEXT,
    PRIMARY KEY (delivery_id, attempt)
  ) STRICT;
  `,
  postgres: `
  CREATE TABLE webhooks (
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    environment     TEXT NOT NULL CHECK (environment IN ('test','live')),
    url             TEXT NOT NULL,
    secret_sealed   BYTEA NOT NULL,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (organization_id, environment)
  );

  CREATE TABLE webhook_deliveries (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL,
    environment     TEXT NOT NULL,
    request_id      TEXT NOT NULL,
    body            TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending','delivered','gave-up')),
    attempts        INTEGER NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    created_at      BIGINT NOT NULL
  );
  CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);

  CREATE TABLE webhook_attempts (
    delivery_id TEXT NOT NULL REFERENCES webhook_deliveries(id),
    attempt     INTEGER NOT NULL,
    at          BIGINT NOT NULL,
    status_code INTEGER,
    error       TEXT,
    PRIMARY KEY (delivery_id, attempt)
  );
  `,
};
