import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock';
import type { MasterKeyProvider } from '../crypto/master-keys';
import { orgScope, type TenantScope, tenantScope } from '../db/scope';
import type { Stores } from '../db/stores';
import type { TenantKeyRow } from '../db/tenant-keys';

/** A tenant's data key in clear: kept in this process's memory only. */
export interface DataKey {
  readonly version: number;
  readonly key: Buffer;
}

/** Binds a wrapped key to its tenant and version: a row copied to another tenant does not unwrap. */
function wrapAad(organizationId: string, environment: string, version: number): string {
  return `tenant-data-key:${organizationId}:${environment}:${version}`;
}

/**
 * One AES-256 data key per tenant (organization and environment), made on first use and stored only
 * wrapped by the master key. Unwrapped keys are cached for the life of the process.
 */
export class TenantDataKeys {
  readonly #cache = new Map<string, DataKey>();

  constructor(
    private readonly stores: Stores,
    private readonly master: MasterKeyProvider,
    private readonly clock: Clock,
  ) {}

  async current(tenant: TenantScope): Promise<DataKey> {
    const row = await this.stores.tenantKeys.current(tenant);
    if (row) return this.#open(row);
    const key = randomBytes(32);
    const { keyId, wrapped } = await this.master.wrap(
      key,
      wrapAad(tenant.organizationId, tenant.environment, 1),
    );
    await this.stores.tenantKeys.insert(tenant, {
      version: 1,
      master_key_id: keyId,
      wrapped_key: wrapped,
      created_at: this.clock.now(),
    });
    // Another process may have made version 1 first: whichever row is stored is the key.
    const stored = await this.stores.tenantKeys.current(tenant);
    if (!stored) throw new Error('Tenant data key vanished');
    return this.#open(stored);
  }

  async version(tenant: TenantScope, version: number): Promise<DataKey> {
    const cached = this.#cache.get(cacheKey(tenant.organizationId, tenant.environment, version));
    if (cached) return cached;
    const row = await this.stores.tenantKeys.version(tenant, version);
    if (!row) throw new Error(`No data key version ${version} for this tenant`);
    return this.#open(row);
  }

  /**
   * Re-wraps every data key not yet under the current master key, each in its own write, so a rotation
   * cut short (a crash, a kill) is finished by running it again. The evidence is not touched.
   */
  async rewrapAll(onProgress: (rewrapped: number) => void = () => {}): Promise<number> {
    const current = this.master.currentKeyId();
    let rewrapped = 0;
    for (let batch = await this.stores.tenantKeys.wrappedUnderOtherKeys(current); batch.length > 0; ) {
      for (const row of batch) {
        const aad = wrapAad(row.organization_id, row.environment, row.version);
        const key = await this.master.unwrap(row.master_key_id, row.wrapped_key, aad);
        const { keyId, wrapped } = await this.master.wrap(key, aad);
        if (await this.stores.tenantKeys.rewrap(row, keyId, wrapped)) onProgress(++rewrapped);
      }
      batch = await this.stores.tenantKeys.wrappedUnderOtherKeys(current);
    }
    return rewrapped;
  }

  async #open(row: TenantKeyRow): Promise<DataKey> {
    const id = cacheKey(row.organization_id, row.environment, row.version);
    const cached = this.#cache.get(id);
    if (cached) return cached;
    const key = await this.master.unwrap(
      row.master_key_id,
      row.wrapped_key,
      wrapAad(row.organization_id, row.environment, row.version),
    );
    const opened = { version: row.version, key };
    this.#cache.set(id, opened);
    return opened;
  }
}

function cacheKey(organizationId: string, environment: string, version: number): string {
  return `${organizationId}/${environment}/${version}`;
}

/** A tenant scope for a key row the rotation reads across tenants (platform maintenance, not a request). */
export function tenantOfKeyRow(row: TenantKeyRow, slug: string): TenantScope {
  return tenantScope(orgScope(row.organization_id, slug), row.environment);
}
