import type { Migration } from './migration';

export const migration: Migration = {
  name: '0006_approval_search',
  // Exactly the text this step had in the schema.ts it came from, so databases made by it upgrade.
  sqlite: `
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
  postgres: `
  -- Text search over titles and summaries: a generated tsvector ('simple': no stemming, as FTS5's default
  -- tokenizer), matched with prefix queries by engines/postgres.ts. Every query also carries the tenant filter.
  ALTER TABLE approval_requests ADD COLUMN search tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', title || ' ' || summary)) STORED;
  CREATE INDEX approval_requests_search ON approval_requests USING gin (search);
  DROP INDEX approval_requests_queue;
  CREATE INDEX approval_requests_queue ON approval_requests(organization_id, environment, status, created_at, id);
  `,
};
