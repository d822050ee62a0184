import type { Migration } from './migration';

export const migration: Migration = {
  name: '0002_audit_log',
  // Exactly the text this step had in the schema.ts it came from, so databases made by it upgrade.
  sqlite: `
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
  postgres: `
  CREATE TABLE audit_entries (
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    environment     TEXT NOT NULL CHECK (environment IN ('test','live')),
    seq             BIGINT NOT NULL,
    ts              BIGINT NOT NULL,
    action          TEXT NOT NULL,
    actor_id        TEXT NOT NULL,
    resource_type   TEXT NOT NULL,
    resource_id     TEXT NOT NULL,
    canonical       TEXT NOT NULL,
    PRIMARY KEY (organization_id, environment, seq)
  );

  CREATE TABLE audit_nodes (
    organization_id TEXT NOT NULL,
    environment     TEXT NOT NULL,
    last_leaf       BIGINT NOT NULL,
    level           INTEGER NOT NULL,
    hash            BYTEA NOT NULL,
    PRIMARY KEY (organization_id, environment, last_leaf, level)
  );

  CREATE TABLE audit_checkpoints (
    organization_id TEXT NOT NULL,
    environment     TEXT NOT NULL,
    size            BIGINT NOT NULL,
    root            BYTEA NOT NULL,
    note            TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (organization_id, environment, size)
  );

  CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
    FOR EACH ROW EXECUTE FUNCTION refuse_change('audit entries are append-only');
  CREATE TRIGGER audit_nodes_append_only BEFORE UPDATE OR DELETE ON audit_nodes
    FOR EACH ROW EXECUTE FUNCTION refuse_change('audit nodes are append-only');
  CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
    FOR EACH ROW EXECUTE FUNCTION refuse_change('checkpoints are append-only');
  -- Row triggers do not see TRUNCATE; it is refused too.
  CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('audit entries are append-only');
  CREATE TRIGGER audit_nodes_no_truncate BEFORE TRUNCATE ON audit_nodes
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('audit nodes are append-only');
  CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('checkpoints are append-only');

  CREATE INDEX audit_entries_by_action ON audit_entries(organization_id, environment, action, seq);
  CREATE INDEX audit_entries_by_actor ON audit_entries(organization_id, environment, actor_id, seq);
  `,
};
