import { environments } from '../../shared/domain/environments';
import type { PlatformContext } from '../context';
import type { ApprovalRow } from '../db/approvals';
import { orgScope, tenantScope } from '../db/scope';
import { profiles } from './profiles';

export interface TenantSummary {
  readonly organization: string;
  readonly environment: string;
  readonly requests: number;
  readonly byStatus: Readonly<Record<string, number>>;
  readonly evidence: number;
  readonly auditEntries: number;
  readonly checkpoints: number;
}

export interface DemoSummary {
  readonly tenants: readonly TenantSummary[];
}

const statuses: ApprovalRow['status'][] = [
  'pending',
  'executed',
  'failed',
  'rejected',
  'withdrawn',
  'expired',
];

/** What the demo holds per tenant, read back from the stores: for the one line the CLI prints. */
export async function summarize(ctx: PlatformContext): Promise<DemoSummary> {
  const tenants: TenantSummary[] = [];
  for (const profile of profiles) {
    const org = await ctx.stores.organizations.findBySlug(profile.slug);
    if (!org) continue;
    for (const environment of environments) {
      const tenant = tenantScope(orgScope(org.id, org.slug), environment);
      const rows = await ctx.stores.approvals.list(tenant, { statuses, limit: 10_000 });
      const byStatus: Record<string, number> = {};
      for (const row of rows) byStatus[row.status] = (byStatus[row.status] ?? 0) + 1;
      let attached = 0;
      for (const row of rows) attached += (await ctx.stores.evidence.forRequest(tenant, row.id)).length;
      const size = await ctx.auditLog.size(tenant);
      tenants.push({
        organization: org.slug,
        environment,
        requests: rows.length,
        byStatus,
        evidence: attached + (await ctx.stores.evidence.library(tenant)).length,
        auditEntries: size,
        checkpoints: (await ctx.stores.audit.checkpointsIn(tenant, 0, size)).length,
      });
    }
  }
  return { tenants };
}

export function formatSummary(summary: DemoSummary): string {
  return summary.tenants
    .map(
      (t) =>
        `  ${`${t.organization}/${t.environment}`.padEnd(12)} ${t.requests} requests (${statuses
          .filter((s) => t.byStatus[s])
          .map((s) => `${t.byStatus[s]} ${s}`)
          .join(
            ', ',
          )}), ${t.evidence} evidence files, ${t.auditEntries} audit entries, ${t.checkpoints} signed checkpoints`,
    )
    .join('\n');
}
