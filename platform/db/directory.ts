import type { Db } from './database';
import { type TenantScope, tenantParams } from './scope';

export interface FormerPersonRow {
  id: string;
  email: string;
  display_name: string;
}

/**
 * Who a tenant's records name: requesters, approvers, commenters, key creators and evidence uploaders.
 * Only the people among them who are no longer members are read here; members come from memberships.
 */
export class DirectoryStore {
  readonly #former;

  constructor(db: Db) {
    // Decisions and comments carry no tenant columns of their own: they are reached through their request.
    this.#former = db.prepare<Record<string, unknown>, FormerPersonRow>(
      `WITH named(id) AS (
         SELECT requester_person_id FROM approval_requests
           WHERE organization_id = @organization_id AND environment = @environment
         UNION SELECT d.approver_id FROM approval_decisions d JOIN approval_requests r ON r.id = d.request_id
           WHERE r.organization_id = @organization_id AND r.environment = @environment
         UNION SELECT c.author_id FROM approval_comments c JOIN approval_requests r ON r.id = c.request_id
           WHERE r.organization_id = @organization_id AND r.environment = @environment
         UNION SELECT created_by FROM api_keys
           WHERE organization_id = @organization_id AND environment = @environment
         UNION SELECT uploader_id FROM evidence
           WHERE organization_id = @organization_id AND environment = @environment AND uploader_type = 'user'
       )
       SELECT u.id, u.email, u.display_name FROM named JOIN users u ON u.id = named.id
       WHERE NOT EXISTS (
         SELECT 1 FROM memberships m WHERE m.organization_id = @organization_id AND m.user_id = u.id
       )
       ORDER BY u.display_name, u.id`,
    );
  }

  /** People this tenant's records name who are not members of its organization any more. */
  formerPeople(scope: TenantScope): FormerPersonRow[] {
    return this.#former.all(tenantParams(scope));
  }
}
