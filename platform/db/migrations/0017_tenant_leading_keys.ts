import type { Migration } from './migration';

export const migration: Migration = {
  name: '0017_tenant_leading_keys',
  sqlite: `
  -- Nothing: the embedded database is never sharded, and rebuilding its tables (immutable rows, the search
  -- index's rowids) would buy nothing there. Its ids stay globally unique, as they are on PostgreSQL too.
  SELECT 1;
  `,
  postgres: `
  -- The last tables whose primary key did not start with the organization: requests, evidence, API keys and
  -- webhook deliveries now have (organization_id, environment, id), and every reference to one of them
  -- names the tenant too, so the schema can be distributed by organization_id (the Citus model) as it is.

  -- Requests: references become composite (the tenant-and-id unique key of 0013 becomes the primary key).
  ALTER TABLE approval_decisions DROP CONSTRAINT approval_decisions_request_id_fkey;
  ALTER TABLE approval_comments DROP CONSTRAINT approval_comments_request_id_fkey;
  ALTER TABLE approval_results DROP CONSTRAINT approval_results_request_id_fkey;
  ALTER TABLE approval_evidence DROP CONSTRAINT approval_evidence_request_id_fkey;
  ALTER TABLE evidence DROP CONSTRAINT evidence_request_id_fkey;
  ALTER TABLE approval_requests DROP CONSTRAINT approval_requests_reverses_fkey;
  ALTER TABLE approval_requests DROP CONSTRAINT approval_requests_tenant_id CASCADE;
  ALTER TABLE approval_requests DROP CONSTRAINT approval_requests_pkey;
  ALTER TABLE approval_requests ADD PRIMARY KEY (organization_id, environment, id);
  ALTER TABLE approval_requests ADD CONSTRAINT approval_requests_reverses_tenant
    FOREIGN KEY (organization_id, environment, reverses) REFERENCES approval_requests (organization_id, environment, id);
  ALTER TABLE approval_decisions ADD CONSTRAINT approval_decisions_request_tenant
    FOREIGN KEY (organization_id, environment, request_id) REFERENCES approval_requests (organization_id, environment, id);
  ALTER TABLE approval_comments ADD CONSTRAINT approval_comments_request_tenant
    FOREIGN KEY (organization_id, environment, request_id) REFERENCES approval_requests (organization_id, environment, id);
  ALTER TABLE approval_results ADD CONSTRAINT approval_results_request_tenant
    FOREIGN KEY (organization_id, environment, request_id) REFERENCES approval_requests (organization_id, environment, id);
  ALTER TABLE approval_evidence ADD CONSTRAINT approval_evidence_request_tenant
    FOREIGN KEY (organization_id, environment, request_id) REFERENCES approval_requests (organization_id, environment, id);
  ALTER TABLE evidence ADD CONSTRAINT evidence_request_tenant
    FOREIGN KEY (organization_id, environment, request_id) REFERENCES approval_requests (organization_id, environment, id);

  -- Evidence: its attachments name it with their tenant; the index over every tenant's hashes goes (content
  -- addresses are per tenant, and no query looks a hash up across tenants).
  ALTER TABLE approval_evidence DROP CONSTRAINT approval_evidence_evidence_id_fkey;
  ALTER TABLE evidence DROP CONSTRAINT evidence_pkey;
  ALTER TABLE evidence ADD PRIMARY KEY (organization_id, environment, id);
  ALTER TABLE approval_evidence ADD CONSTRAINT approval_evidence_evidence_tenant
    FOREIGN KEY (organization_id, environment, evidence_id) REFERENCES evidence (organization_id, environment, id);
  DROP INDEX evidence_by_hash;
  DROP INDEX approval_evidence_by_request;
  CREATE INDEX approval_evidence_by_request ON approval_evidence(organization_id, environment, request_id);

  -- API keys: a key is looked up by its id before its tenant is known (authentication), by this index; on
  -- a sharded cluster that one lookup goes to every shard, or to a reference table id -> organization.
  ALTER TABLE api_keys DROP CONSTRAINT api_keys_pkey;
  ALTER TABLE api_keys ADD PRIMARY KEY (organization_id, environment, id);
  CREATE INDEX api_keys_by_id ON api_keys(id);

  -- Webhook deliveries: attempts name their delivery with its tenant; the dispatcher claims by id.
  ALTER TABLE webhook_attempts DROP CONSTRAINT webhook_attempts_delivery_id_fkey;
  ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_tenant_id CASCADE;
  ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_pkey;
  ALTER TABLE webhook_deliveries ADD PRIMARY KEY (organization_id, environment, id);
  ALTER TABLE webhook_attempts ADD CONSTRAINT webhook_attempts_delivery_tenant
    FOREIGN KEY (organization_id, environment, delivery_id) REFERENCES webhook_deliveries (organization_id, environment, id);
  CREATE INDEX webhook_deliveries_by_id ON webhook_deliveries(id);
  `,
};
