import type { Migration } from './migration';

export const migration: Migration = {
  name: '0003_approvals',
  // Exactly the text this step had in the schema.ts it came from, so databases made by it upgrade.
  sqlite: `
  -- Per-organization approval policy: lanes by kind and environment, red-lane approvals, expiry.
  CREATE TABLE approval_policies (
    organization_id TEXT PRIMARY KEY REFERENCES organizations(id),
    lanes           TEXT NOT NULL,
    red_approvals   INTEGER NOT NULL,
    expiry_days     INTEGER NOT NULL,
    audit_retention_days INTEGER
  ) STRICT;

  -- Public halves of the Ed25519 keys people sign decisions with; the private halves never leave devices.
  CREATE TABLE device_keys (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    name        TEXT NOT NULL,
    public_key  BLOB NOT NULL,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
  ) STRICT;
  CREATE INDEX device_keys_by_user ON device_keys(user_id);

  CREATE TABLE approval_requests (
    id                 TEXT PRIMARY KEY,
    organization_id    TEXT NOT NULL REFERENCES organizations(id),
    environment        TEXT NOT NULL CHECK (environment IN ('test','live')),
    kind               TEXT NOT NULL,
    title              TEXT NOT NULL,
    summary            TEXT NOT NULL,
    payload            TEXT NOT NULL,
    payload_sha256     TEXT NOT NULL,
    lane               TEXT NOT NULL CHECK (lane IN ('green','yellow','red')),
    required_approvals INTEGER NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('pending','executed','failed','rejected','withdrawn','expired')),
    requester_type     TEXT NOT NULL,
    requester_id       TEXT NOT NULL,
    reverses           TEXT REFERENCES approval_requests(id),
    created_at         INTEGER NOT NULL,
    expires_at         INTEGER NOT NULL,
    closed_at          INTEGER,
    outcome            TEXT
  ) STRICT;
  CREATE INDEX approval_requests_queue ON approval_requests(organization_id, environment, status, created_at);
  CREATE INDEX approval_requests_expiry ON approval_requests(organization_id, environment, status, expires_at);

  CREATE TABLE approval_decisions (
    request_id      TEXT NOT NULL REFERENCES approval_requests(id),
    approver_id     TEXT NOT NULL,
    decision        TEXT NOT NULL CHECK (decision IN ('approve','reject')),
    comment         TEXT NOT NULL,
    device_key_id   TEXT NOT NULL,
    signed          TEXT NOT NULL,
    signature       TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    decided_at      INTEGER NOT NULL,
    PRIMARY KEY (request_id, approver_id),
    UNIQUE (request_id, idempotency_key)
  ) STRICT;

  CREATE TABLE approval_comments (
    id          TEXT PRIMARY KEY,
    request_id  TEXT NOT NULL REFERENCES approval_requests(id),
    author_id   TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX approval_comments_by_request ON approval_comments(request_id, created_at);

  -- What an executed request produced for its requester alone (a new key's secret), sealed, read once.
  CREATE TABLE approval_results (
    request_id  TEXT PRIMARY KEY REFERENCES approval_requests(id),
    sealed      BLOB,
    read_at     INTEGER
  ) STRICT;
  `,
  postgres: `
  CREATE TABLE approval_policies (
    organization_id TEXT PRIMARY KEY REFERENCES organizations(id),
    lanes           TEXT NOT NULL,
    red_approvals   INTEGER NOT NULL,
    expiry_days     INTEGER NOT NULL,
    audit_retention_days INTEGER
  );

  CREATE TABLE device_keys (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    name        TEXT NOT NULL,
    public_key  BYTEA NOT NULL,
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT
  );
  CREATE INDEX device_keys_by_user ON device_keys(user_id);

  CREATE TABLE approval_requests (
    id                 TEXT PRIMARY KEY,
    organization_id    TEXT NOT NULL REFERENCES organizations(id),
    environment        TEXT NOT NULL CHECK (environment IN ('test','live')),
    kind               TEXT NOT NULL,
    title              TEXT NOT NULL,
    summary            TEXT NOT NULL,
    payload            TEXT NOT NULL,
    payload_sha256     TEXT NOT NULL,
    lane               TEXT NOT NULL CHECK (lane IN ('green','yellow','red')),
    required_approvals INTEGER NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('pending','executed','failed','rejected','withdrawn','expired')),
    requester_type     TEXT NOT NULL,
    requester_id       TEXT NOT NULL,
    reverses           TEXT REFERENCES approval_requests(id),
    created_at         BIGINT NOT NULL,
    expires_at         BIGINT NOT NULL,
    closed_at          BIGINT,
    outcome            TEXT
  );
  CREATE INDEX approval_requests_queue ON approval_requests(organization_id, environment, status, created_at);
  CREATE INDEX approval_requests_expiry ON approval_requests(organization_id, environment, status, expires_at);

  CREATE TABLE approval_decisions (
    request_id      TEXT NOT NULL REFERENCES approval_requests(id),
    approver_id     TEXT NOT NULL,
    decision        TEXT NOT NULL CHECK (decision IN ('approve','reject')),
    comment         TEXT NOT NULL,
    device_key_id   TEXT NOT NULL,
    signed          TEXT NOT NULL,
    signature       TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    decided_at      BIGINT NOT NULL,
    PRIMARY KEY (request_id, approver_id),
    UNIQUE (request_id, idempotency_key)
  );

  CREATE TABLE approval_comments (
    id          TEXT PRIMARY KEY,
    request_id  TEXT NOT NULL REFERENCES approval_requests(id),
    author_id   TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
  );
  CREATE INDEX approval_comments_by_request ON approval_comments(request_id, created_at);

  CREATE TABLE approval_results (
    request_id  TEXT PRIMARY KEY REFERENCES approval_requests(id),
    sealed      BYTEA,
    read_at     BIGINT
  );
  `,
};
