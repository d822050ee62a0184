import { randomBytes } from 'node:crypto';
import type { ApiKey, ApiKeyWithSecret, CreateApiKeyRequest } from '../../shared/api/api-keys';
import type { Environment } from '../../shared/domain/environments';
import { type Permission, type RoleName, roleAllows } from '../../shared/domain/permissions';
import { fail, ok, type Result } from '../../shared/result';
import type { AuditContext } from '../audit/audit-context';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../clock';
import { secretMatches, sha256 } from '../crypto/hash';
import { base32, newSecret } from '../crypto/random';
import type { ApiKeyRow } from '../db/api-keys';
import type { TenantScope } from '../db/scope';
import type { Stores } from '../db/stores';

const DAY_MS = 24 * 3600 * 1000;
const KEY_ID = /^cck_(test|live)_[a-z2-7]{26}$/;
const keyNotFound = 'API key not found.';

function newKeyId(environment: Environment): string {
  return `cck_${environment}_${base32(randomBytes(16))}`;
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** Why a presented key is not accepted; the caller decides what to record, the client sees one message. */
export type KeyRefusal = 'malformed' | 'unknown' | 'revoked' | 'expired' | 'rotated';

export interface VerifiedKey {
  readonly row: ApiKeyRow;
  readonly scopes: readonly Permission[];
}

export class ApiKeyService {
  constructor(
    private readonly stores: Stores,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async list(scope: TenantScope): Promise<ApiKey[]> {
    const now = this.clock.now();
    return (await this.stores.apiKeys.list(scope)).map((row) => toApiKey(row, now));
  }

  async get(scope: TenantScope, id: string): Promise<Result<ApiKey>> {
    const row = await this.stores.apiKeys.get(scope, id);
    return row ? ok(toApiKey(row, this.clock.now())) : fail('not-found', keyNotFound);
  }

  /** A person may only hand a key permissions their own role has. */
  async create(
    scope: TenantScope,
    creator: { userId: string; role: RoleName },
    request: CreateApiKeyRequest,
    context: AuditContext,
  ): Promise<Result<ApiKeyWithSecret>> {
    const beyondRole = request.scopes.filter((p) => !roleAllows(creator.role, p));
    if (beyondRole.length > 0) {
      return fail('forbidden', `Your role cannot grant: ${beyondRole.join(', ')}.`);
    }
    const now = this.clock.now();
    const expiresAt = request.expiresInDays === undefined ? null : now + request.expiresInDays * DAY_MS;
    return this.stores.db.inTenant(scope, async () => {
      const created = await this.#mint(
        scope,
        creator.userId,
        request.name,
        [...new Set(request.scopes)],
        expiresAt,
        now,
      );
      await this.audit.append(scope, context, {
        action: 'api_key.create',
        resource: { type: 'api_key', id: created.key.id },
        change: { before: null, after: auditView(created.key) },
      });
      return ok(created);
    });
  }

  /** Issues a successor with the same name, scopes and expiry; the old key works until the grace ends. */
  async rotate(
    scope: TenantScope,
    actorId: string,
    id: string,
    gracePeriodSeconds: number,
    context: AuditContext,
  ): Promise<Result<ApiKeyWithSecret>> {
    const now = this.clock.now();
    const old = await this.stores.apiKeys.get(scope, id);
    if (!old) return fail('not-found', keyNotFound);
    const status = statusOf(old, now);
    if (status !== 'active')
      return fail('conflict', `Only an active key can be rotated; this one is ${status}.`);
    // A handed-over key has no working secret until its new owner rotates it and collects the successor's:
    // anyone else rotating it would take for themselves a key meant for that person.
    if (old.handed_over_at !== null && old.owner_id !== actorId)
      return fail(
        'forbidden',
        'This key was handed over: only its new owner can rotate it to get its secret.',
      );
    // Its secret is known to no one, so a grace period would serve nothing.
    const grace = old.handed_over_at !== null ? 0 : gracePeriodSeconds;
    return this.stores.db.inTenant(scope, async () => {
      const successor = await this.#mint(
        scope,
        actorId,
        old.name,
        JSON.parse(old.scopes),
        old.expires_at,
        now,
      );
      if (!(await this.stores.apiKeys.markRotated(scope, id, successor.key.id, now + grace * 1000))) {
        throw new Error('API key changed during rotation');
      }
      const after = (await this.stores.apiKeys.get(scope, id)) as ApiKeyRow;
      await this.audit.append(scope, context, {
        action: 'api_key.rotate',
        resource: { type: 'api_key', id },
        change: {
          before: auditView(toApiKey(old, now)),
          after: { ...auditView(toApiKey(after, now)), successor: auditView(successor.key) },
        },
      });
      return ok(successor);
    });
  }

  revoke(scope: TenantScope, id: string, context: AuditContext): Promise<Result<ApiKey>> {
    const now = this.clock.now();
    return this.stores.db.inTenant(scope, async (): Promise<Result<ApiKey>> => {
      const before = await this.stores.apiKeys.get(scope, id);
      if (!before) return fail('not-found', keyNotFound);
      if (!(await this.stores.apiKeys.revoke(scope, id, now)))
        return fail('conflict', 'This API key is already revoked.');
      const after = toApiKey((await this.stores.apiKeys.get(scope, id)) as ApiKeyRow, now);
      await this.audit.append(scope, context, {
        action: 'api_key.revoke',
        resource: { type: 'api_key', id },
        change: { before: auditView(toApiKey(before, now)), after: auditView(after) },
      });
      return ok(after);
    });
  }

  /** Checks a presented `<id>.<secret>`; the secret is compared by digest in constant time. */
  async verify(presented: string): Promise<Result<VerifiedKey> & { refusal?: KeyRefusal; keyId?: string }> {
    const dot = presented.indexOf('.');
    const id = presented.slice(0, dot);
    if (dot < 0 || !KEY_ID.test(id))
      return { ...fail('unauthenticated', 'The API key is not valid.'), refusal: 'malformed' };
    const row = await this.stores.apiKeys.findCredential(id);
    if (!row || !secretMatches(presented.slice(dot + 1), row.secret_sha256)) {
      return { ...fail('unauthenticated', 'The API key is not valid.'), refusal: 'unknown' };
    }
    const now = this.clock.now();
    const status = statusOf(row, now);
    if (status !== 'active' && status !== 'grace') {
      const refusal: KeyRefusal = status === 'revoked' ? 'revoked' : row.replaced_by ? 'rotated' : 'expired';
      return { ...fail('unauthenticated', 'The API key is not valid.'), refusal, keyId: id };
    }
    await this.stores.apiKeys.touchLastUsed(id, now);
    return ok({ row, scopes: JSON.parse(row.scopes) as Permission[] });
  }

  async #mint(
    scope: TenantScope,
    createdBy: string,
    name: string,
    scopes: readonly Permission[],
    expiresAt: number | null,
    now: number,
  ): Promise<ApiKeyWithSecret> {
    const id = newKeyId(scope.environment);
    const secret = newSecret();
    const row = {
      id,
      name,
      secret_sha256: sha256(secret),
      scopes: JSON.stringify(scopes),
      created_by: createdBy,
      created_at: now,
      expires_at: expiresAt,
      last_used_at: null,
      revoked_at: null,
      grace_until: null,
      replaced_by: null,
      owner_id: null,
      handed_over_at: null,
    };
    await this.stores.apiKeys.insert(scope, row);
    const stored = (await this.stores.apiKeys.get(scope, id)) as ApiKeyRow;
    return { key: toApiKey(stored, now), secret: `${id}.${secret}` };
  }
}

/** What an audit entry records of a key: everything but its secret, which the platform never has. */
function auditView(key: ApiKey) {
  return {
    name: key.name,
    scopes: key.scopes,
    status: key.status,
    expiresAt: key.expiresAt,
    graceUntil: key.graceUntil,
    replacedBy: key.replacedBy,
  };
}

function statusOf(row: ApiKeyRow, now: number): ApiKey['status'] {
  if (row.revoked_at !== null) return 'revoked';
  if (row.expires_at !== null && row.expires_at <= now) return 'expired';
  if (row.grace_until !== null) return row.grace_until > now ? 'grace' : 'expired';
  return 'active';
}

function toApiKey(row: ApiKeyRow, now: number): ApiKey {
  return {
    id: row.id,
    name: row.name,
    environment: row.environment,
    scopes: JSON.parse(row.scopes),
    status: statusOf(row, now),
    createdBy: row.created_by,
    createdAt: new Date(row.created_at).toISOString(),
    expiresAt: iso(row.expires_at),
    lastUsedAt: iso(row.last_used_at),
    revokedAt: iso(row.revoked_at),
    graceUntil: iso(row.grace_until),
    replacedBy: row.replaced_by,
    handedOverAt: iso(row.handed_over_at),
  };
}
