import type { Migration } from './migration';

export const migration: Migration = {
  name: '0008_oauth_codes',
  // Exactly the text this step had in the schema.ts it came from, so databases made by it upgrade.
  sqlite: `
  -- Desktop sign-in (OAuth 2.1 authorization code + PKCE): codes live a minute, are stored hashed, and are
  -- exchanged once; the token family issued for a code is recorded so that a replayed code revokes it.
  CREATE TABLE oauth_codes (
    code_sha256     BLOB PRIMARY KEY,
    client_id       TEXT NOT NULL,
    redirect_uri    TEXT NOT NULL,
    code_challenge  TEXT NOT NULL,
    nonce           TEXT NOT NULL,
    user_id         TEXT NOT NULL REFERENCES users(id),
    auth_time       INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    used_at         INTEGER,
    family_id       TEXT REFERENCES token_families(id)
  ) STRICT;
  CREATE INDEX oauth_codes_by_expiry ON oauth_codes(expires_at);
  `,
  postgres: `
  CREATE TABLE oauth_codes (
    code_sha256     BYTEA PRIMARY KEY,
    client_id       TEXT NOT NULL,
    redirect_uri    TEXT NOT NULL,
    code_challenge  TEXT NOT NULL,
    nonce           TEXT NOT NULL,
    user_id         TEXT NOT NULL REFERENCES users(id),
    auth_time       BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    used_at         BIGINT,
    family_id       TEXT REFERENCES token_families(id)
  );
  CREATE INDEX oauth_codes_by_expiry ON oauth_codes(expires_at);
  `,
};
