import type { StoreApi } from 'zustand/vanilla';
import type { Result } from '../../shared/result';

/** A store whose screen shows an Offline banner while what it loaded stays on show. */
export interface OfflineAware {
  /** The platform could not be reached on the last call: what is loaded stays, with a banner. */
  readonly offline: boolean;
}

/**
 * Notes reachability from an answer and hands it back: `unavailable` turns `offline` on, any other
 * answer (a refusal included: the platform did answer) turns it off. What else the answer means is the
 * caller's business.
 */
export function offlineFlag<S extends OfflineAware>(
  get: StoreApi<S>['getState'],
  set: StoreApi<S>['setState'],
): <T>(result: Result<T>) => Result<T> {
  return (result) => {
    const offline = !result.ok && result.error.code === 'unavailable';
    // Unchanged, it is left alone: every set wakes every subscriber.
    if (offline !== get().offline) set({ offline } as Partial<S>);
    return result;
  };
}
