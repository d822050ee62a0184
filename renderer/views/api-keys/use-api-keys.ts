import { useStore } from 'zustand';
import { useApp } from '../../app-context';
import { type ApiKeysState, type ApiKeysStore, createApiKeysStore } from '../../stores/api-keys-store';
import type { SessionStore } from '../../stores/session-store';

// One store per session store (so per window): leaving the screen and coming back keeps the list, while
// a tenant switch still empties it (the store follows the session's epoch, not the screen).
const stores = new WeakMap<SessionStore, ApiKeysStore>();

export function useApiKeysStore(): ApiKeysStore {
  const { client, session } = useApp();
  let store = stores.get(session);
  if (!store) {
    store = createApiKeysStore(client, session);
    stores.set(session, store);
  }
  return store;
}

export function useApiKeys<T>(selector: (state: ApiKeysState) => T): T {
  return useStore(useApiKeysStore(), selector);
}
