import type { Migration } from './migration';

export const migration: Migration = {
  name: '0015_evidence_blobs',
  sqlite: `
  -- Nothing: with SQLite the encrypted evidence bytes stay in the data directory (evidence-sealed/).
  SELECT 1;
  `,
  postgres: `
  -- Evidence bytes, encrypted as on disk (AES-256-GCM under the tenant's data key), in the database where
  -- every platform process reads them: one row per chunk, so no value comes near a single allocation of
  -- the largest file. A blob is written once (its first chunk claims the address) and removed whole.
  CREATE TABLE evidence_blobs (
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    environment     TEXT NOT NULL CHECK (environment IN ('test','live')),
    address         TEXT NOT NULL,
    chunk           INTEGER NOT NULL,
    bytes           BYTEA NOT NULL,
    PRIMARY KEY (organization_id, environment, address, chunk)
  );
  -- Already encrypted: compressing them costs time and saves nothing.
  ALTER TABLE evidence_blobs ALTER COLUMN bytes SET STORAGE EXTERNAL;
  CREATE TRIGGER evidence_blobs_written_once BEFORE UPDATE ON evidence_blobs
    FOR EACH ROW EXECUTE FUNCTION refuse_change('evidence bytes are written once');
  `,
};
