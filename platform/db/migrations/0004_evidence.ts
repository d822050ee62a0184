import type { Migration } from './migration';

export const migration: Migration = {
  name: '0004_evidence',
  // Exactly the text this step had in the schema.ts it came from, so databases made by it upgrade.
  sqlite: `
  -- Evidence metadata; the bytes live in the data directory under their SHA-256, written once.
  CREATE TABLE evidence (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    environment     TEXT NOT NULL CHECK (environment IN ('test','live')),
    request_id      TEXT REFERENCES approval_requests(id),
    sha256          TEXT NOT NULL,
    name            TEXT NOT NULL,
    media_type      TEXT NOT NULL,
    size            INTEGER NOT NULL,
    uploader_type   TEXT NOT NULL,
    uploader_id     TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    deleted_at      INTEGER
  ) STRICT;
  CREATE INDEX evidence_by_request ON evidence(organization_id, environment, request_id, created_at);
  CREATE INDEX evidence_by_hash ON evidence(sha256);

  -- Evidence is never edited: only its deletion (through an approved request) may be recorded.
  CREATE TRIGGER evidence_immutable BEFORE UPDATE OF id, organization_id, environment, request_id, sha256, name,
    media_type, size, uploader_type, uploader_id, created_at ON evidence
    BEGIN SELECT RAISE(ABORT, 'evidence is immutable'); END;
  CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence
    BEGIN SELECT RAISE(ABORT, 'evidence rows are never deleted'); END;
  `,
  postgres: `
  CREATE TABLE evidence (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    environment     TEXT NOT NULL CHECK (environment IN ('test','live')),
    request_id      TEXT REFERENCES approval_requests(id),
    sha256          TEXT NOT NULL,
    name            TEXT NOT NULL,
    media_type      TEXT NOT NULL,
    size            BIGINT NOT NULL,
    uploader_type   TEXT NOT NULL,
    uploader_id     TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    deleted_at      BIGINT
  );
  CREATE INDEX evidence_by_request ON evidence(organization_id, environment, request_id, created_at);
  CREATE INDEX evidence_by_hash ON evidence(sha256);

  CREATE TRIGGER evidence_immutable BEFORE UPDATE OF id, organization_id, environment, request_id, sha256, name,
    media_type, size, uploader_type, uploader_id, created_at ON evidence
    FOR EACH ROW EXECUTE FUNCTION refuse_change('evidence is immutable');
  CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence
    FOR EACH ROW EXECUTE FUNCTION refuse_change('evidence rows are never deleted');
  CREATE TRIGGER evidence_no_truncate BEFORE TRUNCATE ON evidence
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('evidence rows are never deleted');
  `,
};
