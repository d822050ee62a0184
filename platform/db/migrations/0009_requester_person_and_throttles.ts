import type { Migration } from './migration';

export const migration: Migration = {
  name: '0009_requester_person_and_throttles',
  // Exactly the text this step had in the schema.ts it came from, so databases made by it upgrade.
  sqlite: `
  -- The person accountable for a request: a request raised through an API key is its creator's, so the
  -- two-person rule binds people, not credentials. Closed requests are final, so the trigger steps aside
  -- for the one backfill.
  ALTER TABLE approval_requests ADD COLUMN requester_person_id TEXT;
  DROP TRIGGER approval_requests_close_once;
  UPDATE approval_requests SET requester_person_id = CASE requester_type
    WHEN 'user' THEN requester_id
    ELSE (SELECT created_by FROM api_keys k WHERE k.id = approval_requests.requester_id) END;
  CREATE TRIGGER approval_requests_close_once BEFORE UPDATE ON approval_requests
    WHEN OLD.status <> 'pending' OR NEW.id <> OLD.id OR NEW.payload <> OLD.payload OR NEW.kind <> OLD.kind
      OR NEW.lane <> OLD.lane OR NEW.required_approvals <> OLD.required_approvals OR NEW.title <> OLD.title
      OR NEW.requester_person_id IS NOT OLD.requester_person_id
    BEGIN SELECT RAISE(ABORT, 'a closed request is final'); END;
  CREATE INDEX approval_requests_by_person ON approval_requests(organization_id, environment, requester_person_id);

  -- Failure counters with lockouts (step-up codes, sign-in), kept in the database so that they hold
  -- across restarts and across several platform processes. Keys name what is counted, e.g.
  -- 'step-up:user:<id>' or 'sign-in:account-ip:<hash>'.
  CREATE TABLE throttles (
    key          TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    window_start INTEGER NOT NULL,
    locked_until INTEGER NOT NULL DEFAULT 0,
    lockouts     INTEGER NOT NULL DEFAULT 0
  ) STRICT;

  -- Where each person last signed in successfully: a per-account lockout spares these sources, so an
  -- attacker guessing from elsewhere cannot lock the real person out.
  CREATE TABLE known_sign_in_sources (
    user_id  TEXT NOT NULL REFERENCES users(id),
    source   TEXT NOT NULL,
    last_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, source)
  ) STRICT, WITHOUT ROWID;
  `,
  postgres: `
  ALTER TABLE approval_requests ADD COLUMN requester_person_id TEXT;
  DROP TRIGGER approval_requests_close_once ON approval_requests;
  UPDATE approval_requests SET requester_person_id = CASE requester_type
    WHEN 'user' THEN requester_id
    ELSE (SELECT created_by FROM api_keys k WHERE k.id = approval_requests.requester_id) END;
  CREATE TRIGGER approval_requests_close_once BEFORE UPDATE ON approval_requests
    FOR EACH ROW WHEN (OLD.status <> 'pending' OR NEW.id <> OLD.id OR NEW.payload <> OLD.payload
      OR NEW.kind <> OLD.kind OR NEW.lane <> OLD.lane OR NEW.required_approvals <> OLD.required_approvals
      OR NEW.title <> OLD.title OR NEW.requester_person_id IS DISTINCT FROM OLD.requester_person_id)
    EXECUTE FUNCTION refuse_change('a closed request is final');
  CREATE INDEX approval_requests_by_person ON approval_requests(organization_id, environment, requester_person_id);

  CREATE TABLE throttles (
    key          TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    window_start BIGINT NOT NULL,
    locked_until BIGINT NOT NULL DEFAULT 0,
    lockouts     INTEGER NOT NULL DEFAULT 0
  );

  CREATE TABLE known_sign_in_sources (
    user_id  TEXT NOT NULL REFERENCES users(id),
    source   TEXT NOT NULL,
    last_at  BIGINT NOT NULL,
    PRIMARY KEY (user_id, source)
  );
  `,
};
