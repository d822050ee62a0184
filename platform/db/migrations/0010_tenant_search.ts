import type { Migration } from './migration';

export const migration: Migration = {
  name: '0010_tenant_search',
  // Exactly the text this step had in the schema.ts it came from, so databases made by it upgrade.
  sqlite: `
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
  postgres: `
  -- Nothing to do: the tenant token is how FTS5 keeps tenants apart inside its one shared index. The
  -- tsvector column lives on each tenant's own rows, and searches filter by tenant like every other query.
  SELECT 1;
  `,
};
