import type { Migration } from './migration';

/**
 * Who may replace an evidence file with a newer version, held by the database as far as it can be
 * (security review findings 7 and 9a). The service decides the rest (EvidenceService / supersede-rules).
 */
export const migration: Migration = {
  name: '0031_evidence_supersede_rules',
  sqlite: `
  -- The person accountable for an upload, fixed when it is written: a file uploaded through an API key is
  -- its creator's, as a request is (approval_requests.requester_person_id), so a key handed over later does
  -- not carry authority over files uploaded before. Null for files the platform wrote itself.
  ALTER TABLE evidence ADD COLUMN uploader_person_id TEXT;
  UPDATE evidence SET uploader_person_id = CASE uploader_type
    WHEN 'user' THEN uploader_id
    WHEN 'api-key' THEN (SELECT created_by FROM api_keys k WHERE k.id = evidence.uploader_id)
    ELSE NULL END;
  CREATE TRIGGER evidence_uploader_person_immutable BEFORE UPDATE OF uploader_person_id ON evidence
    BEGIN SELECT RAISE(ABORT, 'evidence is immutable'); END;
  -- Files the platform wrote itself (access-review evidence packs, uploader_type 'system') are final.
  CREATE TRIGGER evidence_system_files_final BEFORE INSERT ON evidence
    WHEN NEW.supersedes IS NOT NULL
      AND (SELECT uploader_type FROM evidence o WHERE o.id = NEW.supersedes) = 'system'
    BEGIN SELECT RAISE(ABORT, 'files the platform wrote are never superseded'); END;
  -- One live newer version per file, held by the database: the service checks first (for its message), but
  -- two uploads can both pass that check on PostgreSQL's READ COMMITTED. A deleted successor leaves the
  -- index, as it leaves the chain (EvidenceStore.record). 0030 added supersedes with no way to write a
  -- fork yet, so no database reaching this step holds one.
  CREATE UNIQUE INDEX evidence_one_successor ON evidence(organization_id, environment, supersedes)
    WHERE supersedes IS NOT NULL AND deleted_at IS NULL;
  `,
  postgres: `
  ALTER TABLE evidence ADD COLUMN uploader_person_id TEXT;
  UPDATE evidence SET uploader_person_id = CASE uploader_type
    WHEN 'user' THEN uploader_id
    WHEN 'api-key' THEN (SELECT created_by FROM api_keys k WHERE k.id = evidence.uploader_id)
    ELSE NULL END;
  CREATE TRIGGER evidence_uploader_person_immutable BEFORE UPDATE OF uploader_person_id ON evidence
    FOR EACH ROW EXECUTE FUNCTION refuse_change('evidence is immutable');
  -- A trigger's WHEN cannot read another row on PostgreSQL, so the check is a function.
  CREATE FUNCTION evidence_refuse_superseding_system_file() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.supersedes IS NOT NULL AND EXISTS (
        SELECT 1 FROM evidence o WHERE o.id = NEW.supersedes AND o.uploader_type = 'system') THEN
        RAISE EXCEPTION 'files the platform wrote are never superseded';
      END IF;
      RETURN NEW;
    END;
  $$;
  CREATE TRIGGER evidence_system_files_final BEFORE INSERT ON evidence
    FOR EACH ROW EXECUTE FUNCTION evidence_refuse_superseding_system_file();
  CREATE UNIQUE INDEX evidence_one_successor ON evidence(organization_id, environment, supersedes)
    WHERE supersedes IS NOT NULL AND deleted_at IS NULL;
  `,
};
