import { useStore } from 'zustand';
import { useApp } from '../../app-context';
import { createMembersStore, type MembersState, type MembersStore } from '../../stores/members-store';
import type { SessionStore } from '../../stores/session-store';

// One store per session store (so per window); it follows the session's tenant epoch, not the screen.
const stores = new WeakMap<SessionStore, MembersStore>();

export function useMembersStore(): MembersStore {
  const { client, session } = useApp();
  let store = stores.get(session);
  if (!store) {
    store = createMembersStore(client, session);
    stores.set(session, store);
  }
  return store;
}

export function useMembers<T>(selector: (state: MembersState) => T): T {
  return useStore(useMembersStore(), selector);
}
