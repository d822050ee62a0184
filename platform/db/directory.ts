import type { Database } from './database';
import { orgFilter, type TenantScope, tenantFilter } from './scope';

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
  constructor(private readonly db: Database) {}

  /** People this tenant's records name who are not members of its organization any more. */
  formerPeople(scope: TenantScope): Promise<FormerPersonRow[]> {
    return this.db.tenant(scope, (q) =>
      q
        .with('named', (w) =>
          w
            .selectFrom('approval_requests')
            .select('requester_person_id as id')
            .where(tenantFilter(scope))
            .union(w.selectFrom('approval_decisions').select('approver_id as id').where(tenantFilter(scope)))
            .union(w.selectFrom('approval_comments').select('author_id as id').where(tenantFilter(scope)))
            .union(w.selectFrom('api_keys').select('created_by as id').where(tenantFilter(scope)))
            .union(
              w
                .selectFrom('api_keys')
                .select('owner_id as id')
                .where(tenantFilter(scope))
                .where('owner_id', 'is not', null)
                .$narrowType<{ id: string }>(),
            )
            // Organization-wide lifecycle history: who was elevated, who invited, whom a review named.
            .union(
              w
                .selectFrom('elevations')
                .select('user_id as id')
                .where('organization_id', '=', scope.organizationId),
            )
            .union(
              w
                .selectFrom('invitations')
                .select('invited_by as id')
                .where('organization_id', '=', scope.organizationId),
            )
            .union(
              w
                .selectFrom('review_items')
                .select('subject_person_id as id')
                .where('organization_id', '=', scope.organizationId),
            )
            .union(
              w
                .selectFrom('review_items')
                .select('reviewer_id as id')
                .where('organization_id', '=', scope.organizationId),
            )
            .union(
              w
                .selectFrom('evidence')
                .select('uploader_id as id')
                .where(tenantFilter(scope))
                .where('uploader_type', '=', 'user'),
            ),
        )
        .selectFrom('named')
        .innerJoin('users as u', 'u.id', 'named.id')
        .select(['u.id', 'u.email', 'u.display_name'])
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('memberships as m')
                .select('m.user_id')
                .where(orgFilter(scope, 'm'))
                .whereRef('m.user_id', '=', 'u.id'),
            ),
          ),
        )
        .orderBy('u.display_name')
        .orderBy('u.id')
        .execute(),
    );
  }
}
