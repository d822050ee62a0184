/**
 * Migrations run in order inside one transaction each; `user_version` records how far a database got.
 * Tenant-owned rows carry both `organization_id` and `environment`; organization-owned rows carry
 * `organization_id`. Times are milliseconds since the epoch.
 */
export const migrations: readonly string[] = [
  `
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
  `
  CREATE TABLE audit_entries (
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    environment     TEXT NOT NULL CHECK (environment IN ('test','live')),
    seq             INTEGER NOT NULL,
    ts              INTEGER NOT NULL,
    action          TEXT NOT NULL,
    actor_id        TEXT NOT NULL,
    resource_type   TEXT NOT NULL,
    resource_id     TEXT NOT NULL,
    canonical       TEXT NOT NULL,
    PRIMARY KEY (organization_id, environment, seq)
  ) STRICT, WITHOUT ROWID;

  -- Perfect subtree hashes. Node (level, idx) covers leaves [idx * 2^level, (idx + 1) * 2^level) and is
  -- keyed by its last leaf: every node an append completes has the same last leaf, so one append writes
  -- one place at the end of the table instead of one place per level.
  CREATE TABLE audit_nodes (
    organization_id TEXT NOT NULL,
    environment     TEXT NOT NULL,
    last_leaf       INTEGER NOT NULL,
    level           INTEGER NOT NULL,
    hash            BLOB NOT NULL,
    PRIMARY KEY (organization_id, environment, last_leaf, level)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE audit_checkpoints (
    organization_id TEXT NOT NULL,
    environment     TEXT NOT NULL,
    size            INTEGER NOT NULL,
    root            BLOB NOT NULL,
    note            TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (organization_id, environment, size)
  ) STRICT, WITHOUT ROWID;

  -- The log is append-only in the database itself, whatever code runs against it.
  CREATE TRIGGER audit_entries_append_only_update BEFORE UPDATE ON audit_entries
    BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
  CREATE TRIGGER audit_entries_append_only_delete BEFORE DELETE ON audit_entries
    BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
  CREATE TRIGGER audit_nodes_append_only_update BEFORE UPDATE ON audit_nodes
    BEGIN SELECT RAISE(ABORT, 'audit nodes are append-only'); END;
  CREATE TRIGGER audit_nodes_append_only_delete BEFORE DELETE ON audit_nodes
    BEGIN SELECT RAISE(ABORT, 'audit nodes are append-only'); END;
  CREATE TRIGGER audit_checkpoints_append_only_update BEFORE UPDATE ON audit_checkpoints
    BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
  CREATE TRIGGER audit_checkpoints_append_only_delete BEFORE DELETE ON audit_checkpoints
    BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;

  CREATE INDEX audit_entries_by_action ON audit_entries(organization_id, environment, action, seq);
  CREATE INDEX audit_entries_by_actor ON audit_entries(organization_id, environment, actor_id, seq);
  `,
  `
  -- Per-organization approval policy: lanes by kind and environment, red-lane approvals, expiry.
  CREATE TABLE approval_policies (
    organization_id TEXT PRIMARY KEY REFERENCES organizations(id),
    lanes           TEXT NOT NULL,
    red_approvals   INTEGER NOT NULL,
    expiry_days     INTEGER NOT NULL,
    audit_retention_days INTEGER
  ) STRICT;

  -- Public halves of the Ed25519 keys people sign decisions with; the private halves never leave devices.
  CREATE TABLE device_keys (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    name        TEXT NOT NULL,
    public_key  BLOB NOT NULL,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
  ) STRICT;
  CREATE INDEX device_keys_by_user ON device_keys(user_id);

  CREATE TABLE approval_requests (
    id                 TEXT PRIMARY KEY,
    organization_id    TEXT NOT NULL REFERENCES organizations(id),
    environment        TEXT NOT NULL CHECK (environment IN ('test','live')),
    kind               TEXT NOT NULL,
    title              TEXT NOT NULL,
    summary            TEXT NOT NULL,
    payload            TEXT NOT NULL,
    payload_sha256     TEXT NOT NULL,
    lane               TEXT NOT NULL CHECK (lane IN ('green','yellow','red')),
    required_approvals INTEGER NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('pending','executed','failed','rejected','withdrawn','expired')),
    requester_type     TEXT NOT NULL,
    requester_id       TEXT NOT NULL,
    reverses           TEXT REFERENCES approval_requests(id),
    created_at         INTEGER NOT NULL,
    expires_at         INTEGER NOT NULL,
    closed_at          INTEGER,
    outcome            TEXT
  ) STRICT;
  CREATE INDEX approval_requests_queue ON approval_requests(organization_id, environment, status, created_at);
  CREATE INDEX approval_requests_expiry ON approval_requests(organization_id, environment, status, expires_at);

  CREATE TABLE approval_decisions (
    request_id      TEXT NOT NULL REFERENCES approval_requests(id),
    approver_id     TEXT NOT NULL,
    decision        TEXT NOT NULL CHECK (decision IN ('approve','reject')),
    comment         TEXT NOT NULL,
    device_key_id   TEXT NOT NULL,
    signed          TEXT NOT NULL,
    signature       TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    decided_at      INTEGER NOT NULL,
    PRIMARY KEY (request_id, approver_id),
    UNIQUE (request_id, idempotency_key)
  ) STRICT;

  CREATE TABLE approval_comments (
    id          TEXT PRIMARY KEY,
    request_id  TEXT NOT NULL REFERENCES approval_requests(id),
    author_id   TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX approval_comments_by_request ON approval_comments(request_id, created_at);

  -- What an executed request produced for its requester alone (a new key's secret), sealed, read once.
  CREATE TABLE approval_results (
    request_id  TEXT PRIMARY KEY REFERENCES approval_requests(id),
    sealed      BLOB,
    read_at     INTEGER
  ) STRICT;
  `,
  `
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
  `
  -- One webhook per tenant, for the integrations that carry out custom requests; its secret sealed.
  CREATE TABLE webhooks (
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    environment     TEXT NOT NULL CHECK (environment IN ('test','live')),
    url             TEXT NOT NULL,
    secret_sealed   BLOB NOT NULL,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (organization_id, environment)
  ) STRICT;

  CREATE TABLE webhook_deliveries (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL,
    environment     TEXT NOT NULL,
    request_id      TEXT NOT NULL,
    body            TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending','delivered','gave-up')),
    attempts        INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    created_at      INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);

  CREATE TABLE webhook_attempts (
    delivery_id TEXT NOT NULL REFERENCES webhook_deliveries(id),
    attempt     INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    status_code INTEGER,
    error       TEXT,
    PRIMARY KEY (delivery_id, attempt)
  ) STRICT;
  `,
  `
  -- Text search over the approval queue: titles and summaries, kept in step by a trigger (requests are
  -- never edited, only closed). Shared by all tenants; every query joins back through the tenant filter.
  CREATE VIRTUAL TABLE approval_search USING fts5(title, summary, prefix='2 3');
  CREATE TRIGGER approval_search_insert AFTER INSERT ON approval_requests
    BEGIN
      INSERT INTO approval_search(rowid, title, summary) VALUES (new.rowid, new.title, new.summary);
    END;
  DROP INDEX approval_requests_queue;
  CREATE INDEX approval_requests_queue ON approval_requests(organization_id, environment, status, created_at, id);
  `,
  `
  -- Decisions and comments are final: recorded once, never edited or removed.
  CREATE TRIGGER approval_decisions_final_update BEFORE UPDATE ON approval_decisions
    BEGIN SELECT RAISE(ABORT, 'decisions are final'); END;
  CREATE TRIGGER approval_decisions_final_delete BEFORE DELETE ON approval_decisions
    BEGIN SELECT RAISE(ABORT, 'decisions are final'); END;
  CREATE TRIGGER approval_comments_final_update BEFORE UPDATE ON approval_comments
    BEGIN SELECT RAISE(ABORT, 'comments are final'); END;
  CREATE TRIGGER approval_comments_final_delete BEFORE DELETE ON approval_comments
    BEGIN SELECT RAISE(ABORT, 'comments are final'); END;
  -- A request changes only once, from pending to how it closed.
  CREATE TRIGGER approval_requests_close_once BEFORE UPDATE ON approval_requests
    WHEN OLD.status <> 'pending' OR NEW.id <> OLD.id OR NEW.payload <> OLD.payload OR NEW.kind <> OLD.kind
      OR NEW.lane <> OLD.lane OR NEW.required_approvals <> OLD.required_approvals OR NEW.title <> OLD.title
    BEGIN SELECT RAISE(ABORT, 'a closed request is final'); END;
  `,
  `
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
  `
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
  `
  -- Search is per tenant inside the index: each row carries its tenant as one token, and every query
  -- matches it, so another tenant's rows can never crowd this tenant's out of the results.
  DROP TRIGGER approval_search_insert;
  DROP TABLE approval_search;
  CREATE VIRTUAL TABLE approval_search USING fts5(tenant, title, summary, prefix='2 3');
  INSERT INTO approval_search(rowid, tenant, title, summary)
    SELECT rowid, replace(organization_id, '_', '') || environment, title, summary FROM approval_requests;
  CREATE TRIGGER approval_search_insert AFTER INSERT ON approval_requests
    BEGIN
      INSERT INTO approval_search(rowid, tenant, title, summary)
        VALUES (new.rowid, replace(new.organization_id, '_', '') || new.environment, new.title, new.summary);
    END;
  `,
  `
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
  `
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
];
