import type { DeviceKey } from '../../shared/api/approvals';
import { environments } from '../../shared/domain/environments';
import { fail, ok, type Result } from '../../shared/result';
import type { AuditContext } from '../audit/audit-context';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../clock';
import { newId } from '../crypto/random';
import type { DeviceKeyRow } from '../db/device-keys';
import { type OrgScope, orgScope, tenantScope } from '../db/scope';
import type { Stores } from '../db/stores';

export const MAX_ACTIVE_DEVICE_KEYS = 10;

function toDeviceKey(row: DeviceKeyRow): DeviceKey {
  return {
    id: row.id,
    name: row.name,
    publicKey: row.public_key.toString('base64'),
    createdAt: new Date(row.created_at).toISOString(),
    revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at).toISOString(),
    lastUsedAt: row.last_used_at === null ? null : new Date(row.last_used_at).toISOString(),
  };
}

/**
 * An organization acting on a person's device key (offboarding, an administrator's revocation): its own
 * logs name its actor and request; the other organizations' logs say only why, with a system actor.
 */
export interface ActingOrganization {
  readonly org: OrgScope;
  /** What the other organizations' entries say happened, e.g. "removed by another organization". */
  readonly reason: string;
}

/** What other organizations' logs record as the cause of a key's end: the platform, no request details. */
const otherOrganizationContext: AuditContext = { actor: { type: 'system', id: 'platform' }, request: null };

/**
 * The public halves of people's decision-signing keys. Registering and revoking one is recorded in the
 * live log of every organization the person belongs to, so an auditor can tie a key to its owner offline.
 * A device key is the person's, not one organization's: an organization that removes the person (or revokes
 * the key) ends it everywhere, which is the safe side for a credential that signs decisions. But one
 * tenant's actor, IP address and user agent never reach another tenant's log (ActingOrganization).
 */
export class DeviceKeyService {
  constructor(
    private readonly stores: Stores,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async list(userId: string): Promise<DeviceKey[]> {
    return (await this.stores.deviceKeys.listForUser(userId)).map(toDeviceKey);
  }

  async register(
    userId: string,
    name: string,
    publicKeyBase64: string,
    context: AuditContext,
  ): Promise<Result<DeviceKey>> {
    const publicKey = Buffer.from(publicKeyBase64, 'base64');
    if (publicKey.length !== 32 || publicKey.toString('base64') !== publicKeyBase64) {
      return fail('bad-request', 'The public key must be 32 bytes of Ed25519, base64.');
    }
    return this.stores.db.transaction(async (): Promise<Result<DeviceKey>> => {
      const active = (await this.stores.deviceKeys.listForUser(userId)).filter((k) => k.revoked_at === null);
      if (active.length >= MAX_ACTIVE_DEVICE_KEYS) return fail('conflict', 'Revoke an old device key first.');
      const row: DeviceKeyRow = {
        id: newId('dev'),
        user_id: userId,
        name,
        public_key: publicKey,
        created_at: this.clock.now(),
        revoked_at: null,
        last_used_at: null,
      };
      await this.stores.deviceKeys.insert(row);
      await this.#record(
        userId,
        'device_key.register',
        row.id,
        { name, publicKey: publicKeyBase64 },
        context,
      );
      return ok(toDeviceKey(row));
    });
  }

  revoke(
    userId: string,
    id: string,
    context: AuditContext,
    acting?: ActingOrganization,
  ): Promise<Result<DeviceKey>> {
    return this.stores.db.transaction(async (): Promise<Result<DeviceKey>> => {
      if (!(await this.stores.deviceKeys.get(userId, id))) return fail('not-found', 'Device key not found.');
      if (!(await this.stores.deviceKeys.revoke(userId, id, this.clock.now()))) {
        return fail('conflict', 'This device key is already revoked.');
      }
      await this.#record(userId, 'device_key.revoke', id, { revoked: true }, context, acting);
      return ok(toDeviceKey((await this.stores.deviceKeys.get(userId, id)) as DeviceKeyRow));
    });
  }

  /**
   * Revokes every key of a person at once (offboarding), each recorded like a revocation by its owner in
   * every organization the person still belongs to. Joins the caller's transaction. Returns the key ids.
   */
  async revokeAll(userId: string, context: AuditContext, acting?: ActingOrganization): Promise<string[]> {
    const revoked: string[] = [];
    for (const key of await this.stores.deviceKeys.listForUser(userId)) {
      if (key.revoked_at !== null) continue;
      if (!(await this.stores.deviceKeys.revoke(userId, key.id, this.clock.now()))) continue;
      await this.#record(userId, 'device_key.revoke', key.id, { revoked: true }, context, acting);
      revoked.push(key.id);
    }
    return revoked;
  }

  async #record(
    userId: string,
    action: string,
    keyId: string,
    after: unknown,
    context: AuditContext,
    acting?: ActingOrganization,
  ): Promise<void> {
    for (const org of await this.stores.organizations.listForUser(userId)) {
      const elsewhere = acting !== undefined && acting.org.organizationId !== org.id;
      const entryContext = elsewhere ? otherOrganizationContext : context;
      const change = {
        before: null,
        after: { owner: userId, ...(after as object), ...(elsewhere ? { reason: acting.reason } : {}) },
      };
      for (const environment of environments) {
        await this.audit.append(tenantScope(orgScope(org.id, org.slug), environment), entryContext, {
          action,
          resource: { type: 'device_key', id: keyId },
          change,
        });
      }
    }
  }
}
