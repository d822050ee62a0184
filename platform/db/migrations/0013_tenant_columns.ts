import type { Migration } from './migration';

/**
 * The SQLite triggers that make a child row's tenant its parent's: the columns are added with a default (SQLite
 * cannot add a NOT NULL column without one), so an insert that leaves them out, or names another tenant than
 * its request's or delivery's, is refused here instead of landing under the wrong tenant or none.
 */
function sameTenantAsParent(table: string, key: string, parent: string, what: string): string {
  return `CREATE TRIGGER ${table}_tenant BEFORE INSERT ON ${table}
    WHEN NOT EXISTS (SELECT 1 FROM ${parent} p WHERE p.id = NEW.${key}
      AND p.organization_id = NEW.organization_id AND p.environment = NEW.environment)
    BEGIN SELECT RAISE(ABORT, '${what} belongs to the tenant of its ${parent === 'approval_requests' ? 'request' : 'delivery'}'); END;`;
}

export const migration: Migration = {
  name: '0013_tenant_columns',
  sqlite: `
  -- Decisions, comments, results and webhook attempts name their tenant like every other tenant row, so
  -- PostgreSQL's row-level security can key on them and the schema can be sharded by organization. Each is
  -- backfilled from its parent; decisions and comments are final, so their triggers step aside for it.
  ALTER TABLE approval_decisions ADD COLUMN organization_id TEXT NOT NULL DEFAULT '';
  ALTER TABLE approval_decisions ADD COLUMN environment TEXT NOT NULL DEFAULT '';
  DROP TRIGGER approval_decisions_final_update;
  UPDATE approval_decisions SET
    organization_id = (SELECT r.organization_id FROM approval_requests r WHERE r.id = approval_decisions.request_id),
    environment = (SELECT r.environment FROM approval_requests r WHERE r.id = approval_decisions.request_id);
  CREATE TRIGGER approval_decisions_final_update BEFORE UPDATE ON approval_decisions
    BEGIN SELECT RAISE(ABORT, 'decisions are final'); END;
  ${sameTenantAsParent('approval_decisions', 'request_id', 'approval_requests', 'a decision')}

  ALTER TABLE approval_comments ADD COLUMN organization_id TEXT NOT NULL DEFAULT '';
  ALTER TABLE approval_comments ADD COLUMN environment TEXT NOT NULL DEFAULT '';
  DROP TRIGGER approval_comments_final_update;
  UPDATE approval_comments SET
    organization_id = (SELECT r.organization_id FROM approval_requests r WHERE r.id = approval_comments.request_id),
    environment = (SELECT r.environment FROM approval_requests r WHERE r.id = approval_comments.request_id);
  CREATE TRIGGER approval_comments_final_update BEFORE UPDATE ON approval_comments
    BEGIN SELECT RAISE(ABORT, 'comments are final'); END;
  ${sameTenantAsParent('approval_comments', 'request_id', 'approval_requests', 'a comment')}

  ALTER TABLE approval_results ADD COLUMN organization_id TEXT NOT NULL DEFAULT '';
  ALTER TABLE approval_results ADD COLUMN environment TEXT NOT NULL DEFAULT '';
  UPDATE approval_results SET
    organization_id = (SELECT r.organization_id FROM approval_requests r WHERE r.id = approval_results.request_id),
    environment = (SELECT r.environment FROM approval_requests r WHERE r.id = approval_results.request_id);
  ${sameTenantAsParent('approval_results', 'request_id', 'approval_requests', 'a result')}

  ALTER TABLE webhook_attempts ADD COLUMN organization_id TEXT NOT NULL DEFAULT '';
  ALTER TABLE webhook_attempts ADD COLUMN environment TEXT NOT NULL DEFAULT '';
  UPDATE webhook_attempts SET
    organization_id = (SELECT d.organization_id FROM webhook_deliveries d WHERE d.id = webhook_attempts.delivery_id),
    environment = (SELECT d.environment FROM webhook_deliveries d WHERE d.id = webhook_attempts.delivery_id);
  ${sameTenantAsParent('webhook_attempts', 'delivery_id', 'webhook_deliveries', 'an attempt')}
  `,
  postgres: `
  -- As on SQLite, backfilled from the parent; here the columns end NOT NULL, a composite foreign key holds
  -- each row to its parent's tenant, and the keys start with the organization (shardable as the README says).
  ALTER TABLE approval_requests ADD CONSTRAINT approval_requests_tenant_id UNIQUE (organization_id, environment, id);
  ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_tenant_id UNIQUE (organization_id, environment, id);

  ALTER TABLE approval_decisions ADD COLUMN organization_id TEXT, ADD COLUMN environment TEXT;
  ALTER TABLE approval_decisions DISABLE TRIGGER approval_decisions_final;
  UPDATE approval_decisions d SET organization_id = r.organization_id, environment = r.environment
    FROM approval_requests r WHERE r.id = d.request_id;
  ALTER TABLE approval_decisions ENABLE TRIGGER approval_decisions_final;
  ALTER TABLE approval_decisions
    ALTER COLUMN organization_id SET NOT NULL,
    ALTER COLUMN environment SET NOT NULL,
    DROP CONSTRAINT approval_decisions_pkey,
    ADD PRIMARY KEY (organization_id, environment, request_id, approver_id),
    DROP CONSTRAINT approval_decisions_request_id_idempotency_key_key,
    ADD CONSTRAINT approval_decisions_idempotency UNIQUE (organization_id, environment, request_id, idempotency_key),
    ADD CONSTRAINT approval_decisions_request_tenant FOREIGN KEY (organization_id, environment, request_id)
      REFERENCES approval_requests (organization_id, environment, id);

  ALTER TABLE approval_comments ADD COLUMN organization_id TEXT, ADD COLUMN environment TEXT;
  ALTER TABLE approval_comments DISABLE TRIGGER approval_comments_final;
  UPDATE approval_comments c SET organization_id = r.organization_id, environment = r.environment
    FROM approval_requests r WHERE r.id = c.request_id;
  ALTER TABLE approval_comments ENABLE TRIGGER approval_comments_final;
  ALTER TABLE approval_comments
    ALTER COLUMN organization_id SET NOT NULL,
    ALTER COLUMN environment SET NOT NULL,
    DROP CONSTRAINT approval_comments_pkey,
    ADD PRIMARY KEY (organization_id, environment, id),
    ADD CONSTRAINT approval_comments_request_tenant FOREIGN KEY (organization_id, environment, request_id)
      REFERENCES approval_requests (organization_id, environment, id);
  DROP INDEX approval_comments_by_request;
  CREATE INDEX approval_comments_by_request ON approval_comments(organization_id, environment, request_id, created_at);

  ALTER TABLE approval_results ADD COLUMN organization_id TEXT, ADD COLUMN environment TEXT;
  UPDATE approval_results x SET organization_id = r.organization_id, environment = r.environment
    FROM approval_requests r WHERE r.id = x.request_id;
  ALTER TABLE approval_results
    ALTER COLUMN organization_id SET NOT NULL,
    ALTER COLUMN environment SET NOT NULL,
    DROP CONSTRAINT approval_results_pkey,
    ADD PRIMARY KEY (organization_id, environment, request_id),
    ADD CONSTRAINT approval_results_request_tenant FOREIGN KEY (organization_id, environment, request_id)
      REFERENCES approval_requests (organization_id, environment, id);

  ALTER TABLE webhook_attempts ADD COLUMN organization_id TEXT, ADD COLUMN environment TEXT;
  UPDATE webhook_attempts a SET organization_id = d.organization_id, environment = d.environment
    FROM webhook_deliveries d WHERE d.id = a.delivery_id;
  ALTER TABLE webhook_attempts
    ALTER COLUMN organization_id SET NOT NULL,
    ALTER COLUMN environment SET NOT NULL,
    DROP CONSTRAINT webhook_attempts_pkey,
    ADD PRIMARY KEY (organization_id, environment, delivery_id, attempt),
    ADD CONSTRAINT webhook_attempts_delivery_tenant FOREIGN KEY (organization_id, environment, delivery_id)
      REFERENCES webhook_deliveries (organization_id, environment, id);

  -- Attachments already carry their tenant; their key starts with it too, held to the request's tenant.
  ALTER TABLE approval_evidence
    DROP CONSTRAINT approval_evidence_pkey,
    ADD PRIMARY KEY (organization_id, environment, evidence_id),
    ADD CONSTRAINT approval_evidence_request_tenant FOREIGN KEY (organization_id, environment, request_id)
      REFERENCES approval_requests (organization_id, environment, id);
  `,
};
