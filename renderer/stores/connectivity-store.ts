import { createStore } from 'zustand/vanilla';
import type { ProfileRef } from '../../shared/contract/contract';
import type { ContractClient } from '../contract/client';

export interface ConnectivityState {
  /** True from the first call that could not reach the platform until the platform answers again. */
  readonly offline: boolean;
  noteUnavailable(): void;
  dispose(): void;
}

const PROBE_MS = 5000;

/**
 * The Offline indicator's state. Any call answered `unavailable` turns it on; while on, the platform is
 * asked every few seconds whether it answers again. Cached evidence and offline verification keep
 * working meanwhile: they never needed the network.
 */
export function createConnectivityStore(
  client: ContractClient,
  activeProfile: () => ProfileRef | null,
  probeMs = PROBE_MS,
) {
  let timer: ReturnType<typeof setInterval> | undefined;
  const stopProbing = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };
  return createStore<ConnectivityState>()((set) => ({
    offline: false,
    noteUnavailable() {
      set({ offline: true });
      if (timer) return;
      timer = setInterval(async () => {
        const profile = activeProfile();
        if (!profile) return;
        const health = await client.call('platform.health', { profile });
        if (health.ok && health.value.reachable) {
          stopProbing();
          set({ offline: false });
        }
      }, probeMs);
    },
    dispose: stopProbing,
  }));
}

export type ConnectivityStore = ReturnType<typeof createConnectivityStore>;
