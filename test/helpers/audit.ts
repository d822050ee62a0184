import { orgScope, type TenantScope, tenantScope } from '../../platform/db/scope';
import { bytesSource } from '../../shared/audit/export-source';
import { nodeAuditCrypto } from '../../shared/audit/node-crypto';
import { parseVerifierKey, type VerifierKey } from '../../shared/audit/note';
import type { VerificationReport } from '../../shared/audit/report';
import { type VerifyOptions, verifyExport } from '../../shared/audit/verifier';
import type { TestPlatform } from './platform';

export async function tenantOf(
  platform: TestPlatform,
  org: string,
  env: 'test' | 'live',
): Promise<TenantScope> {
  const row = await platform.ctx.stores.organizations.findBySlug(org);
  if (!row) throw new Error(`No organization ${org}`);
  return tenantScope(orgScope(row.id, row.slug), env);
}

/** Appends realistic entries straight through the platform's audit log, for volume. */
export async function appendEntries(
  platform: TestPlatform,
  scope: TenantScope | Promise<TenantScope>,
  count: number,
): Promise<void> {
  const tenant = await scope;
  await platform.ctx.stores.db.inTenant(tenant, async () => {
    for (let i = 0; i < count; i++) {
      await platform.ctx.auditLog.append(
        tenant,
        {
          actor: { type: 'user', id: 'usr_abcdefghijklmnopqrstuvwxyz' },
          request: {
            id: `req-${i}`,
            ip: '127.0.0.1',
            userAgent: 'Mozilla/5.0 (X11; Linux x86_64) ComplianceConsole/0.1',
          },
        },
        {
          action: i % 3 === 0 ? 'evidence.download_url' : 'approval.comment',
          resource: { type: 'approval_request', id: `apr_${String(i).padStart(20, '0')}` },
          change: {
            before: null,
            after: { comment: `reviewed item ${i} of the quarterly controls`, lane: 'yellow' },
          },
        },
      );
    }
  });
}

/**
 * Appends entries of about `bytesEach` bytes (a long comment) straight through the audit log: an export
 * of many megabytes from few appends, so a verifier reading it in 1 MiB chunks is still busy long after
 * its first progress report.
 */
export async function appendLargeEntries(
  platform: TestPlatform,
  scope: TenantScope | Promise<TenantScope>,
  count: number,
  bytesEach: number,
): Promise<void> {
  const filler = 'quarterly controls evidence '.repeat(Math.ceil(bytesEach / 28)).slice(0, bytesEach);
  const tenant = await scope;
  await platform.ctx.stores.db.inTenant(tenant, async () => {
    for (let i = 0; i < count; i++) {
      await platform.ctx.auditLog.append(
        tenant,
        {
          actor: { type: 'user', id: 'usr_abcdefghijklmnopqrstuvwxyz' },
          request: { id: `req-large-${i}`, ip: '127.0.0.1', userAgent: 'ComplianceConsole/0.1' },
        },
        {
          action: 'approval.comment',
          resource: { type: 'approval_request', id: `apr_${String(i).padStart(20, '0')}` },
          change: { before: null, after: { comment: `${i}: ${filler}` } },
        },
      );
    }
  });
}

export async function exportLog(
  platform: TestPlatform,
  token: string,
  org: string,
  env: string,
  query = '',
): Promise<Buffer> {
  const response = await fetch(`${platform.url}/v1/orgs/${org}/envs/${env}/audit/export${query}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (response.status !== 200) throw new Error(`export failed: ${response.status} ${await response.text()}`);
  return Buffer.from(await response.arrayBuffer());
}

export function platformKeys(platform: TestPlatform): VerifierKey[] {
  return platform.ctx.auditKeys.verifierKeys.map((k) => {
    const key = parseVerifierKey(nodeAuditCrypto, k);
    if (!key) throw new Error('platform verifier key does not parse');
    return key;
  });
}

export function verifyBytes(
  bytes: Uint8Array,
  keys: readonly VerifierKey[],
  options: Partial<VerifyOptions> = {},
): Promise<VerificationReport> {
  return verifyExport(bytesSource(bytes), { crypto: nodeAuditCrypto, keys, ...options });
}

/** An export split into its parts, to tamper with and join again. */
export interface ExportParts {
  header: string;
  entries: string[];
  checkpoints: string[];
}

export function splitExport(bytes: Buffer): ExportParts {
  const lines = bytes.toString('utf8').split('\n');
  lines.pop();
  const header = lines.shift() ?? '';
  const firstCheckpoint = lines.findIndex((l) => l.startsWith('{"checkpoint":'));
  return { header, entries: lines.slice(0, firstCheckpoint), checkpoints: lines.slice(firstCheckpoint) };
}

export function joinExport(parts: ExportParts): Buffer {
  return Buffer.from(`${[parts.header, ...parts.entries, ...parts.checkpoints].join('\n')}\n`);
}
