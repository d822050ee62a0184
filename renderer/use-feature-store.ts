import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import { useApp } from './app-context';
import type { ContractClient } from './contract/client';
import type { SessionStore } from './stores/session-store';

/** How every feature store in renderer/stores is made: the window's contract client and session. */
export type FeatureStoreFactory<S> = (client: ContractClient, session: SessionStore) => StoreApi<S>;

// One store per factory and session store (so per window). It outlives its screen: leaving a screen and
// coming back keeps what it loaded and the work under way (a rotation's bar keeps moving), while a tenant
// switch still empties a tenant-scoped one, which follows the session's epoch, not the screen.
// Keyed by the factory itself; each entry is the store that factory made, whatever its state's type.
const perWindow = new WeakMap<SessionStore, Map<unknown, unknown>>();

/** The window's store made by `create`, made on first use. */
export function useFeatureStore<S>(create: FeatureStoreFactory<S>): StoreApi<S> {
  const { client, session } = useApp();
  let stores = perWindow.get(session);
  if (!stores) {
    stores = new Map();
    perWindow.set(session, stores);
  }
  let store = stores.get(create) as StoreApi<S> | undefined;
  if (!store) {
    store = create(client, session);
    stores.set(create, store);
  }
  return store;
}

/** What `selector` picks from the window's store made by `create`; the component renders when it changes. */
export function useFeatureState<S, T>(create: FeatureStoreFactory<S>, selector: (state: S) => T): T {
  return useStore(useFeatureStore(create), selector);
}
