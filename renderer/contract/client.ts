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

export function contractClient(bridge: ConsoleBridge = connectBridge()): ContractClient {
  return {
    call: (name, input) => bridge.call(name, input) as Promise<Result<never>>,
    onEvent: (listener) => bridge.onEvent(listener),
  };
}
