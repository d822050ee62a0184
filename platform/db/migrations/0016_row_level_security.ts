import type { Migration } from './migration';

/**
 * Rows of one environment of one organization. Every table here has organization_id and environment.
 * (A later step that adds a tenant table gives it the same three statements.)
 */
const tenantTables = [
  'api_keys',
  'audit_entries',
  'audit_nodes',
  'audit_checkpoints',
  'approval_requests',
  'approval_decisions',
  'approval_comments',
  'approval_results',
  'approval_evidence',
  'evidence',
  'evidence_blobs',
  'webhooks',
  'webhook_deliveries',
  'webhook_attempts',
  'tenant_data_keys',
];

/** Rows an organization owns across its environments. */
const organizationTables = ['memberships', 'approval_policies'];

/**
 * The platform's few writes across tenants, each to rows that name their own tenant: an API key's last use
 * (recorded before its tenant is known), a data key re-wrapped by a master-key rotation, a webhook delivery
 * claimed by the dispatcher.
 */
const platformUpdates = ['api_keys', 'tenant_data_keys', 'webhook_deliveries'];

const platform = `current_setting('app.platform', true) = 'on'`;
const organization = `organization_id = current_setting('app.organization_id', true)`;
const environment = `environment = current_setting('app.environment', true)`;

function secure(table: string, own: string): string {
  // FORCE: the owner too is held to the policies (it is not the role the platform runs as, but nothing
  // should read around them by accident). Later steps that backfill across tenants can, because the engine
  // lifts FORCE around every step and puts it back before the step commits (engines/postgres.ts).
  return `
  ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
  ALTER TABLE ${table} FORCE ROW LEVEL SECURITY;
  CREATE POLICY own_rows ON ${table} USING (${own}) WITH CHECK (${own});
  CREATE POLICY platform_reads ON ${table} FOR SELECT USING (${platform});`;
}

export const migration: Migration = {
  name: '0016_row_level_security',
  sqlite: `
  -- Nothing: SQLite has no row-level security; the stores' tenant filters are the isolation there.
  SELECT 1;
  `,
  postgres: `
  -- Isolation the database enforces, whatever a query forgets: a row is visible and writable only in a
  -- transaction that told the database its organization (and environment, for environment-owned rows),
  -- as the platform does with SET LOCAL (set_config(..., true)) in every transaction. Reads across tenants
  -- need app.platform = 'on', which only the platform's maintenance paths set; they may update only the
  -- columns listed above. Rows of no tenant (people, sessions, throttles) have no policies.
  ${tenantTables.map((table) => secure(table, `${organization} AND ${environment}`)).join('\n')}
  ${organizationTables.map((table) => secure(table, organization)).join('\n')}
  ${platformUpdates
    .map(
      (table) =>
        `CREATE POLICY platform_updates ON ${table} FOR UPDATE USING (${platform}) WITH CHECK (${platform});`,
    )
    .join('\n  ')}
  `,
};
