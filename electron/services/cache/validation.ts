import Database from 'better-sqlite3';
import { z } from 'zod';
import { TenantRef } from '../../../shared/contract/spec';
import type { Environment } from '../../../shared/domain/environments';
import { type AppError, fail, ok, type Result } from '../../../shared/result';
import { Profile, profileKeyOf } from '../vault/vault';
import { KeychainUnavailable } from './cache-keys';
import type { KeyScope } from './envelope';

/** One tenant of one profile: the scope every cache call names. */
export interface CacheTenant {
  readonly profile: Profile;
  readonly organization: string;
  readonly environment: Environment;
}

export interface ScopedTenant {
  readonly profile: Profile;
  readonly scope: KeyScope;
}

export const Sha256Hex = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/)
  .transform((s) => s.toLowerCase());

export const SnapshotId = z.string().regex(/^[A-Za-z0-9_.:-]{1,200}$/);

export const SnapshotInput = z.object({
  snapshotId: SnapshotId,
  name: z.string().min(1).max(500),
  mediaType: z.string().min(1).max(200),
  sha256: Sha256Hex,
  requestId: z.string().min(1).max(200).nullish(),
  bytes: z.instanceof(Uint8Array),
});

export const CheckpointSchema = z.object({
  size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  root: z.string().min(1).max(200),
  note: z.string().min(1).max(16_384),
});

export const ListOptions = z.object({
  query: z.string().max(200).default(''),
  limit: z.number().int().min(1).max(1000).default(100),
});

export const PinnedKeysInput = z.array(z.string().min(1).max(1000)).max(64);
export const Origin = z.string().min(1).max(500);

export { profileKeyOf };

export function profileOfKey(key: string): Profile | undefined {
  const bar = key.lastIndexOf('|');
  const parsed = safely(() =>
    Profile.safeParse({ platformOrigin: key.slice(0, bar), principalId: key.slice(bar + 1) }),
  );
  return parsed?.success ? parsed.data : undefined;
}

/** The vault's Profile schema throws (rather than failing) on some malformed origins. */
function safely<T>(parse: () => T): T | undefined {
  try {
    return parse();
  } catch {
    return undefined;
  }
}

export function checkProfile(profile: Profile): Result<{ profile: Profile; profileKey: string }> {
  const parsed = safely(() => Profile.safeParse(profile));
  if (!parsed?.success) return fail('bad-request', 'Expected a profile (platform origin and principal id).');
  return ok({ profile: parsed.data, profileKey: profileKeyOf(parsed.data) });
}

/** Tenants already found valid, so a read does not parse its URL and slugs again (bounded). */
const validTenants = new Map<string, Result<ScopedTenant>>();

export function checkTenant(tenant: CacheTenant): Result<ScopedTenant> {
  const fields = [
    tenant?.profile?.platformOrigin,
    tenant?.profile?.principalId,
    tenant?.organization,
    tenant?.environment,
  ];
  const memo = fields.every((f) => typeof f === 'string') ? fields.join('\n') : undefined;
  const known = memo === undefined ? undefined : validTenants.get(memo);
  if (known) return known;
  const profile = checkProfile(tenant?.profile);
  if (!profile.ok) return profile;
  const ref = TenantRef.safeParse({ organization: tenant.organization, environment: tenant.environment });
  if (!ref.success) return fail('bad-request', 'Expected an organization slug and an environment.');
  const checked = ok({
    profile: profile.value.profile,
    scope: { profileKey: profile.value.profileKey, ...ref.data },
  });
  if (memo !== undefined) {
    if (validTenants.size >= 1024) validTenants.clear();
    validTenants.set(memo, checked);
  }
  return checked;
}

/**
 * Unexpected failures as safe values: the keychain's or SQLite's own words may carry paths or names,
 * so they are never passed on.
 */
export function failureOf(error: unknown): AppError {
  if (error instanceof Database.SqliteError) {
    if (error.code === 'SQLITE_FULL')
      return { code: 'unavailable', message: 'The disk is full, so the offline evidence cache cannot grow.' };
    return { code: 'internal', message: 'The offline evidence cache could not complete this operation.' };
  }
  if (error instanceof KeychainUnavailable)
    return {
      code: 'unavailable',
      message: 'The OS keychain is not available, so the offline evidence cache cannot be used right now.',
    };
  return { code: 'internal', message: 'The offline evidence cache could not complete this operation.' };
}

export function guard<T>(run: () => Result<T>): Result<T> {
  try {
    return run();
  } catch (error) {
    return { ok: false, error: failureOf(error) };
  }
}

export async function guardAsync<T>(run: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await run();
  } catch (error) {
    return { ok: false, error: failureOf(error) };
  }
}
