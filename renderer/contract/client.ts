import type { ConsoleBridge } from '../../shared/contract/bridge';
import type { CallInput, CallName, CallOutput, EventName } from '../../shared/contract/contract';
import type { Result } from '../../shared/result';
import { connectBridge } from './transport';

/**
 * The renderer's only way to the main process, typed from the shared contract. Replies were validated by
 * the main process against the same schemas before they were sent.
 */
export interface ContractClient {
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<Result<CallOutput<N>>>;
  onEvent(listener: (name: EventName, payload: unknown) => void): () => void;
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
  };
}
