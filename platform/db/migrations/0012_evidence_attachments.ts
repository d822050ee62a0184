import type { Migration } from './migration';

export const migration: Migration = {
  name: '0012_evidence_attachments',
  // Exactly the text this step had in the schema.ts it came from, so databases made by it upgrade.
  sqlite: `
  -- A reversal is found from the request it reverses too: "reversed by" is the newest request naming it.
  CREATE INDEX approval_requests_by_reverses ON approval_requests(organization_id, environment, reverses);

  -- Evidence uploaded before its request exists is attached when the request is raised, in the same
  -- transaction, so it is bound before anyone can decide. Evidence rows are never edited: the attachment
  -- is a record of its own, written once, and a file belongs to one request at most.
  CREATE TABLE approval_evidence (
    evidence_id     TEXT PRIMARY KEY REFERENCES evidence(id),
    request_id      TEXT NOT NULL REFERENCES approval_requests(id),
    organization_id TEXT NOT NULL,
    environment     TEXT NOT NULL,
    attached_at     INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX approval_evidence_by_request ON approval_evidence(request_id);
  CREATE TRIGGER approval_evidence_final_update BEFORE UPDATE ON approval_evidence
    BEGIN SELECT RAISE(ABORT, 'attachments are final'); END;
  CREATE TRIGGER approval_evidence_final_delete BEFORE DELETE ON approval_evidence
    BEGIN SELECT RAISE(ABORT, 'attachments are final'); END;
  `,
  postgres: `
  CREATE INDEX approval_requests_by_reverses ON approval_requests(organization_id, environment, reverses);

  CREATE TABLE approval_evidence (
    evidence_id     TEXT PRIMARY KEY REFERENCES evidence(id),
    request_id      TEXT NOT NULL REFERENCES approval_requests(id),
    organization_id TEXT NOT NULL,
    environment     TEXT NOT NULL,
    attached_at     BIGINT NOT NULL
  );
  CREATE INDEX approval_evidence_by_request ON approval_evidence(request_id);
  CREATE TRIGGER approval_evidence_final BEFORE UPDATE OR DELETE ON approval_evidence
    FOR EACH ROW EXECUTE FUNCTION refuse_change('attachments are final');
  CREATE TRIGGER approval_evidence_no_truncate BEFORE TRUNCATE ON approval_evidence
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('attachments are final');
  `,
};
