import type { ConsoleBridge } from '../../shared/contract/bridge';
import type { CallInput, CallName, CallOutput, EventName } from '../../shared/contract/contract';
import { DroppedFiles } from '../../shared/contract/dropped-files';
import { fail, ok, type Result } from '../../shared/result';
import { connectBridge } from './transport';

/**
 * The renderer's only way to the main process, typed from the shared contract. Replies were validated by
 * the main process against the same schemas before they were sent.
 */
export interface ContractClient {
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<Result<CallOutput<N>>>;
  onEvent(listener: (name: EventName, payload: unknown) => void): () => void;
  /** The desktop app only: files dropped on the window, granted to the main process by the preload. */
  grantDroppedFiles?(files: readonly File[]): Promise<Result<DroppedFiles>>;
}

/** `observe` sees every reply (the Offline indicator watches for `unavailable`). */
export function contractClient(
  bridge: ConsoleBridge = connectBridge(),
  observe: (name: CallName, reply: Result<unknown>) => void = () => {},
): ContractClient {
  return {
    call: async (name, input) => {
      const reply = (await bridge.call(name, input)) as Result<never>;
      observe(name, reply);
      return reply;
    },
    onEvent: (listener) => bridge.onEvent(listener),
    ...(bridge.grantDroppedFiles && {
      grantDroppedFiles: async (files: readonly File[]): Promise<Result<DroppedFiles>> => {
        const reply = (await bridge.grantDroppedFiles?.(files)) as Result<unknown>;
        if (!reply.ok) return reply;
        const parsed = DroppedFiles.safeParse(reply.value);
        return parsed.success ? ok(parsed.data) : fail('internal', 'The dropped files could not be taken.');
      },
    }),
  };
}
