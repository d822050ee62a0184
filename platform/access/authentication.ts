import type { AuditRequestMeta } from '../../shared/audit/format';
import { roleAllows } from '../../shared/domain/permissions';
import { fail, ok, type Result } from '../../shared/result';
import type { AuditLog } from '../audit/audit-log';
import type { AccessTokens } from '../auth/access-tokens';
import type { Clock } from '../clock';
import { orgScope, tenantScope } from '../db/scope';
import type { Stores } from '../db/stores';
import type { ApiKeyService } from '../keys/api-key-service';
import type { Principal } from './principal';

const signInRequired = 'Sign in or present an API key.';
const sessionEnded = 'The session has ended; sign in again.';
const REFUSAL_LOG_INTERVAL_MS = 60_000;

/** Resolves the Authorization header to a principal: `Bearer <access token>` or `Bearer <API key>`. */
export class Authentication {
  constructor(
    private readonly stores: Stores,
    private readonly tokens: AccessTokens,
    private readonly apiKeys: ApiKeyService,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async authenticate(
    header: string | undefined,
    request: AuditRequestMeta | null = null,
  ): Promise<Result<Principal>> {
    const match = header?.match(/^Bearer ([\x21-\x7e]{1,2048})$/);
    if (!match?.[1]) return fail('unauthenticated', signInRequired);
    const credential = match[1];
    if (credential.startsWith('cck_')) {
      const key = await this.apiKeys.verify(credential);
      if (!key.ok) {
        if (key.keyId && key.refusal) await this.#recordRefusal(key.keyId, key.refusal, request);
        return key;
      }
      const { row, scopes } = key.value;
      // The key acts as its owner (its creator unless handed over): an owner who left (or was disabled)
      // takes the key's power with them; a suspended one, for as long as the suspension lasts.
      const ownerId = row.owner_id ?? row.created_by;
      const owner = await this.stores.users.findById(ownerId);
      const standing = await this.stores.memberships.standing(row.organization_id, ownerId, this.clock.now());
      if (!owner || owner.disabled_at !== null || !standing) {
        await this.#recordRefusal(row.id, 'creator-removed', request);
        return fail('unauthenticated', 'The API key is not valid.');
      }
      if (standing.suspendedAt !== null) {
        // 403, not 401: the key is not dead, and a console must not discard it as revoked.
        await this.#recordRefusal(row.id, 'owner-suspended', request);
        return fail('forbidden', 'The person this API key acts for is suspended in its organization.');
      }
      const role = standing.role;
      return ok({
        kind: 'api-key',
        keyId: row.id,
        ownerId,
        organizationId: row.organization_id,
        environment: row.environment,
        scopes: scopes.filter((scope) => roleAllows(role, scope)),
        grantedScopes: scopes,
      });
    }
    const claims = await this.tokens.verify(credential, this.clock.now());
    if (!claims) return fail('unauthenticated', sessionEnded);
    const user = await this.stores.users.findById(claims.userId);
    if (
      !user ||
      user.disabled_at !== null ||
      !(await this.stores.refreshTokens.isFamilyActive(claims.familyId, user.id))
    ) {
      return fail('unauthenticated', sessionEnded);
    }
    return ok({ kind: 'user', userId: user.id });
  }

  /** Use of a revoked, expired or superseded key is recorded in that key's own tenant log. */
  async #recordRefusal(keyId: string, refusal: string, request: AuditRequestMeta | null): Promise<void> {
    // Once a minute per key, counted in the database so that a client replaying a dead key through several
    // platform processes cannot flood the audit log either.
    const { hits } = await this.stores.rateLimits.hit(
      `api-key-refusal:${keyId}`,
      REFUSAL_LOG_INTERVAL_MS,
      this.clock.now(),
    );
    if (hits > 1) return;
    const row = await this.stores.apiKeys.findCredential(keyId);
    const org = row && (await this.stores.organizations.findById(row.organization_id));
    if (!row || !org) return;
    await this.audit.append(
      tenantScope(orgScope(org.id, org.slug), row.environment),
      { actor: { type: 'api-key', id: keyId }, request },
      {
        action: 'api_key.use_refused',
        resource: { type: 'api_key', id: keyId },
        change: { before: null, after: { reason: refusal } },
        outcome: 'failure',
      },
    );
  }
}
