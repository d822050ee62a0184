import { createContext, useContext } from 'react';

/**
 * Moves the shell to another of its screens, for a screen that links into another (the Policy screen's
 * pending changes open in Approvals). The shell provides it; outside a shell it does nothing.
 */
export type Navigate = (screenId: string) => void;

export const NavigationContext = createContext<Navigate>(() => {});

export function useNavigate(): Navigate {
  return useContext(NavigationContext);
}
