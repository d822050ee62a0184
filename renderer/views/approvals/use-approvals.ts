import { useStore } from 'zustand';
import { useApp } from '../../app-context';
import { type ApprovalsState, type ApprovalsStore, createApprovalsStore } from '../../stores/approvals-store';
import type { SessionStore } from '../../stores/session-store';

// One queue per session store (so per window): it outlives the screen, so going to another screen and
// back keeps the rows, the scroll position's selection and the filters.
const stores = new WeakMap<SessionStore, ApprovalsStore>();

export function useApprovalsStore(): ApprovalsStore {
  const { client, session } = useApp();
  let store = stores.get(session);
  if (!store) {
    store = createApprovalsStore(client, session);
    stores.set(session, store);
  }
  return store;
}

export function useApprovals<T>(selector: (state: ApprovalsState) => T): T {
  return useStore(useApprovalsStore(), selector);
}
