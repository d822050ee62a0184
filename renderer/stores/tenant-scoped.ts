import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ProfileRef, TenantRef } from '../../shared/contract/contract';
import type { Result } from '../../shared/result';
import { type OfflineAware, offlineFlag } from './offline-flag';
import type { SessionStore } from './session-store';

/** What every tenant call names: whose credentials, and which organization and environment. */
export interface TenantScope {
  readonly profile: ProfileRef;
  readonly tenant: TenantRef;
}

/** The session's scope, or null while nobody is signed in or the profile has no tenant. */
export function tenantScopeOf(session: SessionStore): TenantScope | null {
  const { active, tenant } = session.getState();
  return active && tenant ? { profile: active.profile, tenant } : null;
}

/** Taken before a call; says on its return whether the answer still speaks for what is on show. */
export interface AnswerGuard {
  /** False once the answer would be stale: the tenant changed, or (a query's) a newer query began. */
  readonly current: boolean;
  /** The answer while it is current (its reachability noted), or null: drop it. */
  settle<T>(answer: Promise<Result<T>>): Promise<Result<T> | null>;
}

/** What a tenant-scoped store's actions are built with. */
export interface TenantPlumbing {
  scope(): TenantScope | null;
  /** For calls that only a tenant switch makes stale (details, writes). */
  guardTenant(): AnswerGuard;
  /** For a query that replaces the one on show (a first page, a new filter): older queries go stale. */
  startQuery(): AnswerGuard;
  /** For a call that goes on with the query on show (its next page): stale once a new one starts. */
  continueQuery(): AnswerGuard;
  /** For answers no guard covers; a no-op for a store that keeps no `offline` flag. */
  noteReachability<T>(result: Result<T>): Result<T>;
  /** Stops following the session; the store keeps what it holds. */
  dispose(): void;
}

export interface TenantSwitch<S> {
  /** What the old tenant left, already replaced by the initial state. */
  readonly previous: S;
  /** The reset state, actions included. */
  readonly current: S;
  /** The new scope, or null (signed out, or a profile with no tenant). */
  readonly scope: TenantScope | null;
}

export interface TenantScopedOptions<S> {
  /** What a tenant switch puts back; fields left out (the actions among them) survive it. */
  readonly initial: Partial<S>;
  /** Keep the state's `offline` flag from every answer a guard lets through. */
  readonly tracksOffline?: S extends OfflineAware ? boolean : never;
  /** After the reset: the new tenant's loading starts here, and work for the old one is called off. */
  onSwitch?(change: TenantSwitch<S>): void;
}

/**
 * The options of a tenant screen's store that loads on its own: offline tracked, and at a switch the new
 * tenant's data loaded at once (none while signed out).
 */
export function reloadedOnSwitch<S extends OfflineAware & { load(): Promise<void> }>(
  initial: Partial<S>,
): TenantScopedOptions<S> {
  return {
    initial,
    tracksOffline: true as TenantScopedOptions<S>['tracksOffline'],
    onSwitch: ({ current, scope }) => {
      if (scope) void current.load();
    },
  };
}

type Build<S> = (set: StoreApi<S>['setState'], get: StoreApi<S>['getState'], tenant: TenantPlumbing) => S;

/**
 * A zustand store whose state belongs to the session's tenant. When the session's tenant epoch moves (a
 * tenant or profile switch, a sign-out) the state goes back to `initial` at once, so nothing of the old
 * tenant stays on show or can be acted on, and every answer still on its way for it is dropped.
 */
export function createTenantScopedStore<S extends object>(
  session: SessionStore,
  options: TenantScopedOptions<S>,
  build: Build<S>,
): StoreApi<S> {
  // A query generation moves with every new query and with the tenant; the tenant's only with the tenant.
  let tenantGen = 0;
  let queryGen = 0;

  const store = createStore<S>()((set, get) => {
    const noted = options.tracksOffline
      ? offlineFlag(
          get as StoreApi<S & OfflineAware>['getState'],
          set as StoreApi<S & OfflineAware>['setState'],
        )
      : <T>(result: Result<T>) => result;
    const guard = (isCurrent: () => boolean): AnswerGuard => ({
      get current() {
        return isCurrent();
      },
      async settle(answer) {
        const result = await answer;
        return isCurrent() ? noted(result) : null;
      },
    });
    return build(set, get, {
      scope: () => tenantScopeOf(session),
      guardTenant() {
        const mine = tenantGen;
        return guard(() => mine === tenantGen);
      },
      startQuery() {
        const mine = ++queryGen;
        return guard(() => mine === queryGen);
      },
      continueQuery() {
        const mine = queryGen;
        return guard(() => mine === queryGen);
      },
      noteReachability: noted,
      dispose: () => unsubscribe(),
    });
  });

  let epoch = session.getState().tenantEpoch;
  const unsubscribe = session.subscribe((state) => {
    if (state.tenantEpoch === epoch) return;
    epoch = state.tenantEpoch;
    tenantGen++;
    queryGen++;
    const previous = store.getState();
    store.setState(options.initial);
    options.onSwitch?.({ previous, current: store.getState(), scope: tenantScopeOf(session) });
  });

  return store;
}
