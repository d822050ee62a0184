import { z } from 'zod';
import { type ErrorCode, errorCodes } from '../result';

/**
 * Every call between the renderer and the main process, declared once: its input and output schemas and
 * the errors it may answer with. The preload bridge, the IPC handlers, the headless host and the
 * renderer's client are all typed from this; nothing is declared twice. Secrets never appear in an
 * output: profiles are named by ids, never by what the keychain holds for them.
 */
export interface CallSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly summary: string;
  readonly input: I;
  readonly output: O;
  readonly errors: readonly ErrorCode[];
}

function call<I extends z.ZodType, O extends z.ZodType>(spec: CallSpec<I, O>): CallSpec<I, O> {
  return spec;
}

export const ProfileRef = z.strictObject({
  platformOrigin: z.string().url().max(300),
  principalId: z.string().regex(/^[A-Za-z0-9_.-]{1,80}$/),
});
export type ProfileRef = z.infer<typeof ProfileRef>;

export const contract = {
  'session.signInWithApiKey': call({
    summary: 'Signs in with an API key (auditors, service accounts); the key goes to the OS keychain only.',
    input: z.strictObject({
      platformUrl: z.string().min(1).max(300),
      apiKey: z
        .string()
        .regex(/^cck_(test|live)_[a-z2-7]{26}\.[A-Za-z0-9_-]{20,100}$/, 'Expected an API key'),
    }),
    output: z.object({
      profile: ProfileRef,
      organization: z.string(),
      environment: z.enum(['test', 'live']),
      scopes: z.array(z.string()),
    }),
    errors: ['bad-request', 'unauthenticated', 'unavailable'],
  }),
  'profiles.list': call({
    summary: 'The profiles this console holds credentials for.',
    input: z.strictObject({}),
    output: z.object({ profiles: z.array(ProfileRef) }),
    errors: [],
  }),
  'session.signOut': call({
    summary: 'Signs a profile out: every secret it has in the OS keychain is deleted.',
    input: z.strictObject({ profile: ProfileRef }),
    output: z.object({ secretsRemoved: z.number().int().min(0) }),
    errors: ['not-found'],
  }),
} as const;

export type Contract = typeof contract;
export type CallName = keyof Contract;
export const callNames = Object.keys(contract) as CallName[];
export type CallInput<N extends CallName> = z.infer<Contract[N]['input']>;
export type CallOutput<N extends CallName> = z.infer<Contract[N]['output']>;

/** Pushed from main to renderer, never requested. */
export const events = {
  'session.expired': z.object({ profile: ProfileRef }),
  progress: z.object({ task: z.string(), done: z.number().min(0), total: z.number().min(0) }),
} as const;
export type EventName = keyof typeof events;

/** What crosses the boundary for every call: a value, or an error that is safe to show. */
export const ContractReply = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.enum(errorCodes), message: z.string() }) }),
]);
export type ContractReply = z.infer<typeof ContractReply>;
