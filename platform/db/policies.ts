import type { Database } from './database';
import { type OrgScope, orgFilter } from './scope';

export interface PolicyRow {
  lanes: string;
  red_approvals: number;
  expiry_days: number;
  audit_retention_days: number | null;
  /** Absent or null: the platform's default. */
  max_elevation_hours?: number | null;
}

export class PolicyStore {
  constructor(private readonly db: Database) {}

  get(scope: OrgScope): Promise<PolicyRow | undefined> {
    return this.db.tenant(scope, (q) =>
      q
        .selectFrom('approval_policies')
        .select(['lanes', 'red_approvals', 'expiry_days', 'audit_retention_days', 'max_elevation_hours'])
        .where(orgFilter(scope))
        .executeTakeFirst(),
    );
  }

  async put(scope: OrgScope, row: PolicyRow): Promise<void> {
    await this.db.tenant(scope, (q) =>
      q
        .insertInto('approval_policies')
        .values({
          organization_id: scope.organizationId,
          ...row,
          max_elevation_hours: row.max_elevation_hours ?? null,
        })
        .onConflict((oc) =>
          oc.column('organization_id').doUpdateSet((eb) => ({
            lanes: eb.ref('excluded.lanes'),
            red_approvals: eb.ref('excluded.red_approvals'),
            expiry_days: eb.ref('excluded.expiry_days'),
            audit_retention_days: eb.ref('excluded.audit_retention_days'),
            max_elevation_hours: eb.ref('excluded.max_elevation_hours'),
          })),
        )
        .execute(),
    );
  }
}
