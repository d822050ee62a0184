import type { EventName } from '../../../shared/contract/contract';
import type { ContractClient } from '../../contract/client';

type Listener = (name: EventName, payload: unknown) => void;

/**
 * The same client, but every listener shares one event subscription. Over the headless host each
 * subscription is a long-lived HTTP request, and a browser keeps at most six per host: a stream per
 * store would, with two windows open, leave no connection for the calls themselves.
 */
export function withSharedEvents(client: ContractClient): ContractClient {
  const listeners = new Set<Listener>();
  let stop: (() => void) | null = null;
  return {
    call: (name, input) => client.call(name, input),
    onEvent(listener) {
      listeners.add(listener);
      stop ??= client.onEvent((name, payload) => {
        for (const l of listeners) l(name, payload);
      });
      return () => {
        listeners.delete(listener);
        if (listeners.size > 0 || !stop) return;
        stop();
        stop = null;
      };
    },
  };
}
