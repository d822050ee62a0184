import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { ContractClient } from './contract/client';
import type { ConnectivityState, ConnectivityStore } from './stores/connectivity-store';
import type { SessionState, SessionStore } from './stores/session-store';

export interface AppServices {
  readonly client: ContractClient;
  readonly session: SessionStore;
  readonly connectivity: ConnectivityStore;
}

export const AppContext = createContext<AppServices | null>(null);

export function useApp(): AppServices {
  const services = useContext(AppContext);
  if (!services) throw new Error('AppContext is missing');
  return services;
}

export function useSession<T>(selector: (state: SessionState) => T): T {
  return useStore(useApp().session, selector);
}

export function useConnectivity<T>(selector: (state: ConnectivityState) => T): T {
  return useStore(useApp().connectivity, selector);
}
