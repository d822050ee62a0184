import type { Migration } from './migration';
import { secureOrganizationTable } from './secure-table';

/**
 * Member lifecycle (issue 13): invitations with one-time enrollment links, suspension, time-limited
 * elevation, API-key hand-over and last use. Numbered from 0020 so that steps added meanwhile on other
 * branches (0013 up) keep their numbers. New tenant tables are keyed by the organization first.
 */
export const migration: Migration = {
  name: '0020_member_lifecycle',
  sqlite: `
  -- A suspended member is refused everywhere in the organization until resumed; the row stays.
  ALTER TABLE memberships ADD COLUMN suspended_at INTEGER;
  -- Last use: a person's last successful sign-in, a device key's last signed decision.
  ALTER TABLE users ADD COLUMN last_sign_in_at INTEGER;
  ALTER TABLE device_keys ADD COLUMN last_used_at INTEGER;
  -- The person a key acts as once handed over (api_key.transfer); null while that is its creator.
  ALTER TABLE api_keys ADD COLUMN owner_id TEXT REFERENCES users(id);
  CREATE INDEX api_keys_by_owner ON api_keys(organization_id, environment, owner_id);
  -- The longest elevation the organization allows, in hours; null is the platform's default.
  ALTER TABLE approval_policies ADD COLUMN max_elevation_hours INTEGER;

  -- An invitation made by an executed member.invite request. The enrollment link's secret is stored as
  -- its SHA-256 only; the TOTP seed offered on the page is sealed. Used once (accepted_at), or revoked.
  CREATE TABLE invitations (
    organization_id  TEXT NOT NULL REFERENCES organizations(id),
    id               TEXT NOT NULL,
    email            TEXT NOT NULL COLLATE NOCASE,
    display_name     TEXT NOT NULL,
    role             TEXT NOT NULL CHECK (role IN ('owner','admin','compliance_officer','member','auditor','viewer')),
    invited_by       TEXT NOT NULL REFERENCES users(id),
    environment      TEXT NOT NULL CHECK (environment IN ('test','live')),
    request_id       TEXT NOT NULL REFERENCES approval_requests(id),
    secret_sha256    BLOB NOT NULL,
    totp_seed_sealed BLOB NOT NULL,
    created_at       INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL,
    accepted_at      INTEGER,
    accepted_user_id TEXT REFERENCES users(id),
    revoked_at       INTEGER,
    revoked_by       TEXT,
    PRIMARY KEY (organization_id, id)
  ) STRICT;
  CREATE UNIQUE INDEX invitations_by_id ON invitations(id);
  CREATE INDEX invitations_by_email ON invitations(organization_id, email);

  -- A role held for a while: the membership keeps its own role; an elevation in force overrides it
  -- until ends_at, when it lapses by itself. ended_at is written when the end is recorded.
  CREATE TABLE elevations (
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    id              TEXT NOT NULL,
    user_id         TEXT NOT NULL REFERENCES users(id),
    role            TEXT NOT NULL CHECK (role IN ('owner','admin','compliance_officer','member','auditor','viewer')),
    base_role       TEXT NOT NULL,
    reason          TEXT NOT NULL,
    environment     TEXT NOT NULL CHECK (environment IN ('test','live')),
    request_id      TEXT NOT NULL REFERENCES approval_requests(id),
    started_at      INTEGER NOT NULL,
    ends_at         INTEGER NOT NULL,
    ended_at        INTEGER,
    end_reason      TEXT,
    ended_by        TEXT,
    PRIMARY KEY (organization_id, id)
  ) STRICT;
  CREATE INDEX elevations_by_user ON elevations(organization_id, user_id, ended_at);
  CREATE INDEX elevations_due ON elevations(ended_at, ends_at);
  `,
  postgres: `
  ALTER TABLE memberships ADD COLUMN suspended_at BIGINT;
  ALTER TABLE users ADD COLUMN last_sign_in_at BIGINT;
  ALTER TABLE device_keys ADD COLUMN last_used_at BIGINT;
  ALTER TABLE api_keys ADD COLUMN owner_id TEXT REFERENCES users(id);
  CREATE INDEX api_keys_by_owner ON api_keys(organization_id, environment, owner_id);
  ALTER TABLE approval_policies ADD COLUMN max_elevation_hours INTEGER;

  CREATE TABLE invitations (
    organization_id  TEXT NOT NULL REFERENCES organizations(id),
    id               TEXT NOT NULL,
    email            TEXT COLLATE case_insensitive NOT NULL,
    display_name     TEXT NOT NULL,
    role             TEXT NOT NULL CHECK (role IN ('owner','admin','compliance_officer','member','auditor','viewer')),
    invited_by       TEXT NOT NULL REFERENCES users(id),
    environment      TEXT NOT NULL CHECK (environment IN ('test','live')),
    request_id       TEXT NOT NULL,
    secret_sha256    BYTEA NOT NULL,
    totp_seed_sealed BYTEA NOT NULL,
    created_at       BIGINT NOT NULL,
    expires_at       BIGINT NOT NULL,
    accepted_at      BIGINT,
    accepted_user_id TEXT REFERENCES users(id),
    revoked_at       BIGINT,
    revoked_by       TEXT,
    PRIMARY KEY (organization_id, id),
    -- A request is keyed by its tenant here (0017): the reference names it too.
    FOREIGN KEY (organization_id, environment, request_id) REFERENCES approval_requests (organization_id, environment, id)
  );
  CREATE UNIQUE INDEX invitations_by_id ON invitations(id);
  CREATE INDEX invitations_by_email ON invitations(organization_id, email);

  CREATE TABLE elevations (
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    id              TEXT NOT NULL,
    user_id         TEXT NOT NULL REFERENCES users(id),
    role            TEXT NOT NULL CHECK (role IN ('owner','admin','compliance_officer','member','auditor','viewer')),
    base_role       TEXT NOT NULL,
    reason          TEXT NOT NULL,
    environment     TEXT NOT NULL CHECK (environment IN ('test','live')),
    request_id      TEXT NOT NULL,
    started_at      BIGINT NOT NULL,
    ends_at         BIGINT NOT NULL,
    ended_at        BIGINT,
    end_reason      TEXT,
    ended_by        TEXT,
    PRIMARY KEY (organization_id, id),
    FOREIGN KEY (organization_id, environment, request_id) REFERENCES approval_requests (organization_id, environment, id)
  );
  CREATE INDEX elevations_by_user ON elevations(organization_id, user_id, ended_at);
  CREATE INDEX elevations_due ON elevations(ended_at, ends_at);

  -- Row-level security as 0016 gives organization tables: own rows only, platform reads (the enrollment
  -- page's lookup by link, the sweeper) with app.platform on.
  ${secureOrganizationTable('invitations')}
  ${secureOrganizationTable('elevations')}
  `,
};
