import type { Db } from './database';
import type { OrgScope } from './scope';

export interface PolicyRow {
  lanes: string;
  red_approvals: number;
  expiry_days: number;
  audit_retention_days: number | null;
}

export class PolicyStore {
  readonly #get;
  readonly #upsert;

  constructor(db: Db) {
    this.#get = db.prepare<[string], PolicyRow>('SELECT * FROM approval_policies WHERE organization_id = ?');
    this.#upsert = db.prepare<Record<string, unknown>>(
      `INSERT INTO approval_policies (organization_id, lanes, red_approvals, expiry_days, audit_retention_days)
       VALUES (@organization_id, @lanes, @red_approvals, @expiry_days, @audit_retention_days)
       ON CONFLICT (organization_id) DO UPDATE SET lanes = excluded.lanes, red_approvals = excluded.red_approvals,
         expiry_days = excluded.expiry_days, audit_retention_days = excluded.audit_retention_days`,
    );
  }

  get(scope: OrgScope): PolicyRow | undefined {
    return this.#get.get(scope.organizationId);
  }

  put(scope: OrgScope, row: PolicyRow): void {
    this.#upsert.run({ organization_id: scope.organizationId, ...row });
  }
}
