import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { PlatformContext } from '../context';
import { orgScope, tenantScope } from '../db/scope';
import { blobAddress, sealBlob } from './blob-crypto';

/**
 * Data directories from before evidence was encrypted kept each file once, in clear, under its SHA-256
 * in `evidence/`, shared by every tenant. This seals each live file for its own tenant (in its own write,
 * so a crash part-way is finished by the next start), then removes the clear copies. Returns how many
 * files it sealed.
 */
export async function sealLegacyEvidence(ctx: PlatformContext): Promise<number> {
  const legacyRoot = join(ctx.dataDir.path, 'evidence');
  let sealed = 0;
  for (
    let batch = await ctx.stores.evidence.unsealed();
    batch.length > 0;
    batch = await ctx.stores.evidence.unsealed()
  ) {
    for (const row of batch) {
      const org = await ctx.stores.organizations.findById(row.organization_id);
      if (!org) continue;
      const tenant = tenantScope(orgScope(org.id, org.slug), row.environment);
      let bytes: Buffer;
      try {
        bytes = readFileSync(join(legacyRoot, row.sha256.slice(0, 2), row.sha256));
      } catch {
        throw new Error(`Evidence ${row.id} has no bytes in the old layout; the data directory is damaged`);
      }
      if (createHash('sha256').update(bytes).digest('hex') !== row.sha256) {
        throw new Error(`Evidence ${row.id} no longer matches its SHA-256; the data directory is damaged`);
      }
      const dataKey = await ctx.evidenceKeys.current(tenant);
      const address = blobAddress(dataKey, row.sha256);
      await ctx.blobs.put(tenant, address, sealBlob(dataKey, tenant, row.sha256, bytes));
      await ctx.stores.evidence.markSealed(tenant, row.id, address, dataKey.version);
      sealed++;
    }
  }
  rmSync(legacyRoot, { recursive: true, force: true });
  return sealed;
}
