import type { Migration } from './migration';

export const migration: Migration = {
  name: '0030_evidence_periods',
  sqlite: `
  -- The days a file is evidence for (YYYY-MM-DD, UTC, both included), the last day it is good for, and
  -- the earlier version it replaces. Set once at upload, like every other column of an evidence row.
  ALTER TABLE evidence ADD COLUMN period_from TEXT;
  ALTER TABLE evidence ADD COLUMN period_to TEXT;
  ALTER TABLE evidence ADD COLUMN expires_on TEXT;
  ALTER TABLE evidence ADD COLUMN supersedes TEXT REFERENCES evidence(id);
  -- Files from before periods were recorded are evidence for the day they were uploaded.
  UPDATE evidence SET period_from = date(created_at / 1000, 'unixepoch'), period_to = date(created_at / 1000, 'unixepoch');
  CREATE TRIGGER evidence_period_immutable BEFORE UPDATE OF period_from, period_to, expires_on, supersedes ON evidence
    BEGIN SELECT RAISE(ABORT, 'evidence is immutable'); END;
  CREATE INDEX evidence_by_upload ON evidence(organization_id, environment, created_at, id);
  CREATE INDEX evidence_by_supersedes ON evidence(organization_id, environment, supersedes);
  CREATE INDEX evidence_by_expiry ON evidence(organization_id, environment, expires_on);
  `,
  postgres: `
  ALTER TABLE evidence ADD COLUMN period_from TEXT;
  ALTER TABLE evidence ADD COLUMN period_to TEXT;
  ALTER TABLE evidence ADD COLUMN expires_on TEXT;
  ALTER TABLE evidence ADD COLUMN supersedes TEXT;
  -- The key leads with the tenant (0017), so the reference names it too: a file replaces one of its own tenant.
  ALTER TABLE evidence ADD CONSTRAINT evidence_supersedes_tenant
    FOREIGN KEY (organization_id, environment, supersedes) REFERENCES evidence (organization_id, environment, id);
  UPDATE evidence SET
    period_from = to_char(to_timestamp(created_at / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
    period_to = to_char(to_timestamp(created_at / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD');
  CREATE TRIGGER evidence_period_immutable BEFORE UPDATE OF period_from, period_to, expires_on, supersedes ON evidence
    FOR EACH ROW EXECUTE FUNCTION refuse_change('evidence is immutable');
  CREATE INDEX evidence_by_upload ON evidence(organization_id, environment, created_at, id);
  CREATE INDEX evidence_by_supersedes ON evidence(organization_id, environment, supersedes);
  CREATE INDEX evidence_by_expiry ON evidence(organization_id, environment, expires_on);
  `,
};
