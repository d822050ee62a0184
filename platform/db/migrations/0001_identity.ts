import type { Migration } from './migration';

export const migration: Migration = {
  name: '0001_identity',
  // Exactly the text this step had in the schema.ts it came from, so databases made by it upgrade.
  sqlite: `
  CREATE TABLE organizations (
    id          TEXT PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE users (
    id               TEXT PRIMARY KEY,
    email            TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name     TEXT NOT NULL,
    password_hash    TEXT NOT NULL,
    totp_seed_sealed BLOB NOT NULL,
    totp_last_step   INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    disabled_at      INTEGER
  ) STRICT;

  CREATE TABLE memberships (
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    user_id         TEXT NOT NULL REFERENCES users(id),
    role            TEXT NOT NULL CHECK (role IN ('owner','admin','compliance_officer','member','auditor','viewer')),
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (organization_id, user_id)
  ) STRICT;
  CREATE INDEX memberships_by_user ON memberships(user_id);

  CREATE TABLE api_keys (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    environment     TEXT NOT NULL CHECK (environment IN ('test','live')),
    name            TEXT NOT NULL,
    secret_sha256   BLOB NOT NULL,
    scopes          TEXT NOT NULL,
    created_by      TEXT NOT NULL REFERENCES users(id),
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER,
    last_used_at    INTEGER,
    revoked_at      INTEGER,
    grace_until     INTEGER,
    replaced_by     TEXT
  ) STRICT;
  CREATE INDEX api_keys_by_tenant ON api_keys(organization_id, environment, created_at);

  CREATE TABLE token_families (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
  ) STRICT;

  CREATE TABLE refresh_tokens (
    id            TEXT PRIMARY KEY,
    family_id     TEXT NOT NULL REFERENCES token_families(id),
    secret_sha256 BLOB NOT NULL,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    used_at       INTEGER
  ) STRICT;
  CREATE INDEX refresh_tokens_by_family ON refresh_tokens(family_id);
  `,
  postgres: `
  -- Case-insensitive e-mail addresses, as SQLite's COLLATE NOCASE: equality and uniqueness ignore case.
  CREATE COLLATION IF NOT EXISTS case_insensitive (provider = icu, locale = 'und-u-ks-level2', deterministic = false);

  -- The one trigger function behind every "written once" rule: it refuses the change with its message.
  CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END;
  $$;

  CREATE TABLE organizations (
    id          TEXT PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
  );

  CREATE TABLE users (
    id               TEXT PRIMARY KEY,
    email            TEXT COLLATE case_insensitive NOT NULL UNIQUE,
    display_name     TEXT NOT NULL,
    password_hash    TEXT NOT NULL,
    totp_seed_sealed BYTEA NOT NULL,
    totp_last_step   BIGINT NOT NULL DEFAULT 0,
    created_at       BIGINT NOT NULL,
    disabled_at      BIGINT
  );

  CREATE TABLE memberships (
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    user_id         TEXT NOT NULL REFERENCES users(id),
    role            TEXT NOT NULL CHECK (role IN ('owner','admin','compliance_officer','member','auditor','viewer')),
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (organization_id, user_id)
  );
  CREATE INDEX memberships_by_user ON memberships(user_id);

  CREATE TABLE api_keys (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    environment     TEXT NOT NULL CHECK (environment IN ('test','live')),
    name            TEXT NOT NULL,
    secret_sha256   BYTEA NOT NULL,
    scopes          TEXT NOT NULL,
    created_by      TEXT NOT NULL REFERENCES users(id),
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT,
    last_used_at    BIGINT,
    revoked_at      BIGINT,
    grace_until     BIGINT,
    replaced_by     TEXT
  );
  CREATE INDEX api_keys_by_tenant ON api_keys(organization_id, environment, created_at);

  CREATE TABLE token_families (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT
  );

  CREATE TABLE refresh_tokens (
    id            TEXT PRIMARY KEY,
    family_id     TEXT NOT NULL REFERENCES token_families(id),
    secret_sha256 BYTEA NOT NULL,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    used_at       BIGINT
  );
  CREATE INDEX refresh_tokens_by_family ON refresh_tokens(family_id);
  `,
};
