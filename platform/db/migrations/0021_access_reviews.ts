import type { Migration } from './migration';
import { secureOrganizationTable } from './secure-table';

/**
 * Access reviews (issue 13): a campaign snapshots an organization's grants at its start; each item is one
 * grant, assigned to a reviewer who is not its subject. A decision is written once, with the request it
 * raised; a closed campaign is final. Keyed by the organization first.
 */
export const migration: Migration = {
  name: '0021_access_reviews',
  sqlite: `
  CREATE TABLE review_campaigns (
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    id              TEXT NOT NULL,
    title           TEXT NOT NULL,
    covers          TEXT NOT NULL,
    reviewers       TEXT NOT NULL,
    deadline        INTEGER NOT NULL,
    created_by      TEXT NOT NULL REFERENCES users(id),
    created_at      INTEGER NOT NULL,
    closed_at       INTEGER,
    close_reason    TEXT CHECK (close_reason IN ('completed','deadline','closed-early')),
    closed_by       TEXT,
    pack            TEXT,
    PRIMARY KEY (organization_id, id)
  ) STRICT;
  CREATE UNIQUE INDEX review_campaigns_by_id ON review_campaigns(id);
  CREATE INDEX review_campaigns_open ON review_campaigns(closed_at, deadline);
  CREATE TRIGGER review_campaigns_final BEFORE UPDATE ON review_campaigns
    WHEN OLD.closed_at IS NOT NULL BEGIN SELECT RAISE(ABORT, 'a closed campaign is final'); END;
  CREATE TRIGGER review_campaigns_no_delete BEFORE DELETE ON review_campaigns
    BEGIN SELECT RAISE(ABORT, 'campaigns are never deleted'); END;

  CREATE TABLE review_items (
    organization_id     TEXT NOT NULL REFERENCES organizations(id),
    campaign_id         TEXT NOT NULL,
    id                  TEXT NOT NULL,
    seq                 INTEGER NOT NULL,
    subject_type        TEXT NOT NULL CHECK (subject_type IN ('member','api_key','device_key')),
    subject_id          TEXT NOT NULL,
    subject_person_id   TEXT NOT NULL,
    environment         TEXT CHECK (environment IN ('test','live')),
    snapshot            TEXT NOT NULL,
    reviewer_id         TEXT NOT NULL REFERENCES users(id),
    decision            TEXT CHECK (decision IN ('keep','revoke','change')),
    reason              TEXT,
    new_role            TEXT,
    decided_at          INTEGER,
    request_id          TEXT REFERENCES approval_requests(id),
    request_environment TEXT,
    PRIMARY KEY (organization_id, campaign_id, id),
    FOREIGN KEY (organization_id, campaign_id) REFERENCES review_campaigns(organization_id, id)
  ) STRICT;
  CREATE UNIQUE INDEX review_items_by_id ON review_items(id);
  CREATE INDEX review_items_by_reviewer ON review_items(organization_id, reviewer_id, campaign_id, seq);
  CREATE INDEX review_items_by_request ON review_items(request_id);
  CREATE TRIGGER review_items_final BEFORE UPDATE ON review_items
    WHEN OLD.decision IS NOT NULL BEGIN SELECT RAISE(ABORT, 'a review decision is final'); END;
  CREATE TRIGGER review_items_no_delete BEFORE DELETE ON review_items
    BEGIN SELECT RAISE(ABORT, 'review items are never deleted'); END;
  `,
  postgres: `
  CREATE TABLE review_campaigns (
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    id              TEXT NOT NULL,
    title           TEXT NOT NULL,
    covers          TEXT NOT NULL,
    reviewers       TEXT NOT NULL,
    deadline        BIGINT NOT NULL,
    created_by      TEXT NOT NULL REFERENCES users(id),
    created_at      BIGINT NOT NULL,
    closed_at       BIGINT,
    close_reason    TEXT CHECK (close_reason IN ('completed','deadline','closed-early')),
    closed_by       TEXT,
    pack            TEXT,
    PRIMARY KEY (organization_id, id)
  );
  CREATE UNIQUE INDEX review_campaigns_by_id ON review_campaigns(id);
  CREATE INDEX review_campaigns_open ON review_campaigns(closed_at, deadline);
  CREATE TRIGGER review_campaigns_final BEFORE UPDATE ON review_campaigns
    FOR EACH ROW WHEN (OLD.closed_at IS NOT NULL)
    EXECUTE FUNCTION refuse_change('a closed campaign is final');
  CREATE TRIGGER review_campaigns_no_delete BEFORE DELETE ON review_campaigns
    FOR EACH ROW EXECUTE FUNCTION refuse_change('campaigns are never deleted');

  CREATE TABLE review_items (
    organization_id     TEXT NOT NULL REFERENCES organizations(id),
    campaign_id         TEXT NOT NULL,
    id                  TEXT NOT NULL,
    seq                 INTEGER NOT NULL,
    subject_type        TEXT NOT NULL CHECK (subject_type IN ('member','api_key','device_key')),
    subject_id          TEXT NOT NULL,
    subject_person_id   TEXT NOT NULL,
    environment         TEXT CHECK (environment IN ('test','live')),
    snapshot            TEXT NOT NULL,
    reviewer_id         TEXT NOT NULL REFERENCES users(id),
    decision            TEXT CHECK (decision IN ('keep','revoke','change')),
    reason              TEXT,
    new_role            TEXT,
    decided_at          BIGINT,
    request_id          TEXT,
    request_environment TEXT,
    PRIMARY KEY (organization_id, campaign_id, id),
    FOREIGN KEY (organization_id, campaign_id) REFERENCES review_campaigns(organization_id, id),
    -- A request is keyed by its tenant here (0017): the reference names it too (unset until decided).
    FOREIGN KEY (organization_id, request_environment, request_id) REFERENCES approval_requests (organization_id, environment, id)
  );
  CREATE UNIQUE INDEX review_items_by_id ON review_items(id);
  CREATE INDEX review_items_by_reviewer ON review_items(organization_id, reviewer_id, campaign_id, seq);
  CREATE INDEX review_items_by_request ON review_items(request_id);
  CREATE TRIGGER review_items_final BEFORE UPDATE ON review_items
    FOR EACH ROW WHEN (OLD.decision IS NOT NULL)
    EXECUTE FUNCTION refuse_change('a review decision is final');
  CREATE TRIGGER review_items_no_delete BEFORE DELETE OR TRUNCATE ON review_items
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('review items are never deleted');

  ${secureOrganizationTable('review_campaigns')}
  ${secureOrganizationTable('review_items')}
  `,
};
