import { z } from 'zod';
import type { ErrorCode } from '../result';

/** One call between renderer and main: input and output schemas and the errors it may answer with. */
export interface CallSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly summary: string;
  readonly input: I;
  readonly output: O;
  readonly errors: readonly ErrorCode[];
}

export function call<I extends z.ZodType, O extends z.ZodType>(spec: CallSpec<I, O>): CallSpec<I, O> {
  return spec;
}

/** A profile is one person (or API key) on one platform. Secrets are never part of it. */
export const ProfileRef = z.strictObject({
  platformOrigin: z
    .string()
    .url()
    .max(300)
    .refine((u) => URL.canParse(u) && new URL(u).origin === u, 'Expected a platform origin'),
  principalId: z.string().regex(/^[A-Za-z0-9_.-]{1,80}$/),
});
export type ProfileRef = z.infer<typeof ProfileRef>;

/** The tenant a call works in: every tenant call names it, so nothing depends on a "current" tenant. */
export const TenantRef = z.strictObject({
  organization: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, 'Expected an organization slug'),
  environment: z.enum(['test', 'live']),
});
export type TenantRef = z.infer<typeof TenantRef>;

export const TenantCall = { profile: ProfileRef, tenant: TenantRef };

/** What a tenant call can answer with when it reaches the platform. */
export const tenantCallErrors = [
  'bad-request',
  'unauthenticated',
  'forbidden',
  'not-found',
  'conflict',
  'unavailable',
] as const;

/** A file the person chose, by the opaque id the main process gave it (never a path). */
export const FileId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'Expected a file id');
export const GrantedFile = z.object({ fileId: FileId, name: z.string(), size: z.number() });

/** The id the renderer gives long work, so its `progress` events and `cancel` name it. */
export const TaskId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'Expected a task id');
