import { useStore } from 'zustand';
import { useApp } from '../../app-context';
import type { SessionStore } from '../../stores/session-store';
import { createSettingsStore, type SettingsState, type SettingsStore } from '../../stores/settings-store';

// One store per session store (so per window): a rotation keeps running, and its bar keeps moving,
// while the person looks at another screen.
const stores = new WeakMap<SessionStore, SettingsStore>();

export function useSettingsStore(): SettingsStore {
  const { client, session } = useApp();
  let store = stores.get(session);
  if (!store) {
    store = createSettingsStore(client, session);
    stores.set(session, store);
  }
  return store;
}

export function useSettings<T>(selector: (state: SettingsState) => T): T {
  return useStore(useSettingsStore(), selector);
}
