import type { Migration } from './migration';

export const migration: Migration = {
  name: '0011_evidence_at_rest',
  // Exactly the text this step had in the schema.ts it came from, so databases made by it upgrade.
  sqlite: `
  -- Evidence at rest: each tenant's data key, wrapped by the platform's master key (never stored in clear).
  -- A master-key rotation re-wraps these rows one by one; the evidence itself is not re-encrypted.
  CREATE TABLE tenant_data_keys (
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    environment     TEXT NOT NULL CHECK (environment IN ('test','live')),
    version         INTEGER NOT NULL,
    master_key_id   TEXT NOT NULL,
    wrapped_key     BLOB NOT NULL,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (organization_id, environment, version)
  ) STRICT, WITHOUT ROWID;

  -- Where an evidence file's encrypted bytes are: an address keyed by its tenant's data key, so the same
  -- file held by two tenants has two unrelated addresses. Null until the bytes are stored that way.
  ALTER TABLE evidence ADD COLUMN blob_address TEXT;
  ALTER TABLE evidence ADD COLUMN key_version INTEGER;
  CREATE INDEX evidence_by_address ON evidence(organization_id, environment, blob_address);
  `,
  postgres: `
  CREATE TABLE tenant_data_keys (
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    environment     TEXT NOT NULL CHECK (environment IN ('test','live')),
    version         INTEGER NOT NULL,
    master_key_id   TEXT NOT NULL,
    wrapped_key     BYTEA NOT NULL,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (organization_id, environment, version)
  );

  ALTER TABLE evidence ADD COLUMN blob_address TEXT;
  ALTER TABLE evidence ADD COLUMN key_version INTEGER;
  CREATE INDEX evidence_by_address ON evidence(organization_id, environment, blob_address);
  `,
};
