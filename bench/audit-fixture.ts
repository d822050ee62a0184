import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../platform/clock';
import { createContext, type PlatformContext } from '../platform/context';
import { orgScope, type TenantScope, tenantScope } from '../platform/db/scope';
import { createOrganization } from '../platform/organizations/provisioning';

/** A platform data directory with one organization, for benchmarks that drive the real audit log. */
export async function benchPlatform(): Promise<{ ctx: PlatformContext; tenant: TenantScope; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'cc-bench-'));
  const ctx = await createContext(dir, { clock: systemClock });
  const org = await createOrganization(ctx, 'acme', 'Acme Corporation');
  return { ctx, tenant: tenantScope(orgScope(org.organizationId, org.organizationSlug), 'live'), dir };
}

const actions = [
  'approval.decide',
  'evidence.download_url',
  'api_key.create',
  'member.role_change',
  'approval.comment',
];

/** A realistic entry body: about 450 bytes once canonicalized, varied enough that no two are alike. */
export function realisticEvent(i: number) {
  return {
    context: {
      actor: { type: 'user' as const, id: `usr_${(i * 7919).toString(36).padStart(26, 'a').slice(-26)}` },
      request: {
        id: `${(i * 2654435761).toString(16).padStart(8, '0').slice(-8)}-5a30-4602-95e8-d23a52b1ed42`,
        ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
        userAgent: 'ComplianceConsole/0.1 (X11; Linux x86_64)',
      },
    },
    event: {
      action: actions[i % actions.length] as string,
      resource: { type: 'approval_request', id: `apr_${i.toString(36).padStart(24, '0')}` },
      change: {
        before: i % 2 === 0 ? null : { status: 'pending', approvals: i % 3 },
        after: {
          status: i % 4 === 0 ? 'approved' : 'pending',
          approvals: (i % 3) + 1,
        },
      },
    },
  };
}
