import type { z } from 'zod';
import {
  type CallInput,
  type CallName,
  type CallOutput,
  type ContractReply,
  contract,
} from '../../../shared/contract/contract';
import type { CallSpec } from '../../../shared/contract/spec';
import { fail, type Result } from '../../../shared/result';
import { keychainUnavailableMessage } from '../vault/keychain-status';
import { KeychainUnavailableError } from '../vault/vault';

/** Handlers may answer with read-only values (the verifier's report is one); the dispatcher copies out. */
type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** Handlers for a group of calls, typed from their specs. */
export type HandlersOf<C extends Record<string, CallSpec>> = {
  [N in keyof C]: (input: z.infer<C[N]['input']>) => Promise<Result<DeepReadonly<z.infer<C[N]['output']>>>>;
};
export type Handlers = {
  [N in CallName]: (input: CallInput<N>) => Promise<Result<DeepReadonly<CallOutput<N>>>>;
};

/**
 * The one door into the main process's services, whatever carries the call (Electron IPC or the headless
 * host). It never throws: an unknown call or an input that fails its schema is `bad-request` naming the
 * fields (never their values), a handler that throws is a generic `internal`, and an output that does not
 * match its own schema is not sent.
 */
export class Dispatcher {
  constructor(
    private readonly handlers: Handlers,
    private readonly onUnexpected: (name: string, error: unknown) => void = () => {},
  ) {}

  async dispatch(name: unknown, input: unknown): Promise<ContractReply> {
    if (typeof name !== 'string' || !Object.hasOwn(contract, name))
      return fail('bad-request', 'Unknown call.');
    const spec = contract[name as CallName];
    const parsed = spec.input.safeParse(input);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => i.path.join('.') || '(input)').slice(0, 5);
      return fail('bad-request', `Invalid input for ${name}: ${[...new Set(fields)].join(', ')}.`);
    }
    try {
      const handler = this.handlers[name as CallName] as (input: unknown) => Promise<Result<unknown>>;
      const result = await handler(parsed.data);
      if (!result.ok) return result;
      const output = spec.output.safeParse(result.value);
      if (!output.success) {
        this.onUnexpected(name, new Error('handler output does not match its schema'));
        return fail('internal', 'Something went wrong in the console.');
      }
      return { ok: true, value: output.data };
    } catch (error) {
      if (error instanceof KeychainUnavailableError) {
        this.onUnexpected(name, error.cause ?? error);
        return fail('keychain-unavailable', keychainUnavailableMessage);
      }
      this.onUnexpected(name, error);
      return fail('internal', 'Something went wrong in the console.');
    }
  }
}
