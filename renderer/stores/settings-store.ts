import { createStore } from 'zustand/vanilla';
import { type CallOutput, events, type ProfileRef } from '../../shared/contract/contract';
import type { AppError, Result } from '../../shared/result';
import type { ContractClient } from '../contract/client';
import { offlineFlag } from './offline-flag';
import type { SessionStore } from './session-store';

export type CacheStats = CallOutput<'cache.status'>;
export type Phase = 'idle' | 'loading' | 'ready' | 'error';
export type CacheOp = 'quota' | 'clear';

export type CacheOpState =
  | { readonly phase: 'idle' }
  | { readonly phase: 'working'; readonly op: CacheOp }
  | { readonly phase: 'done'; readonly op: CacheOp }
  | { readonly phase: 'failed'; readonly op: CacheOp; readonly error: AppError };

/** The cache master-key rotation: `total` is 0 until the first progress event names it. */
export type RotationState =
  | { readonly phase: 'idle' }
  | { readonly phase: 'running'; readonly taskId: string; readonly done: number; readonly total: number }
  | { readonly phase: 'done'; readonly rewrapped: number }
  | { readonly phase: 'failed'; readonly error: AppError };

export interface SettingsState {
  readonly cache: CacheStats | null;
  readonly cachePhase: Phase;
  readonly cacheError: AppError | null;
  readonly cacheOp: CacheOpState;
  readonly profiles: readonly ProfileRef[];
  readonly profilesPhase: Phase;
  /** The console's own process could not be reached (or the platform, signing out): a banner, data kept. */
  readonly offline: boolean;
  readonly rotation: RotationState;
  readonly signOutError: AppError | null;
  load(): Promise<void>;
  setQuotaMiB(mib: number): Promise<void>;
  clearCache(): Promise<void>;
  rotateMasterKey(): Promise<void>;
  /** Stops the running rotation between two data keys; the rest resumes on the next start. */
  cancelRotation(): Promise<void>;
  /** Signs a profile out; the one in use goes through the session, which returns to the sign-in screen. */
  signOut(profile: ProfileRef): Promise<void>;
  dispose(): void;
}

export const MIB = 1024 * 1024;
/** The contract's bounds for the quota (1 MiB to 1 TiB), in MiB. */
export const QUOTA_MIN_MIB = 1;
export const QUOTA_MAX_MIB = 1024 * 1024;

/** The quota typed in the form, as whole MiB, or what is wrong with it. */
export function parseQuotaMiB(text: string): { ok: true; mib: number } | { ok: false; message: string } {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return { ok: false, message: 'Enter a whole number of MiB.' };
  const mib = Number(trimmed);
  if (mib < QUOTA_MIN_MIB || mib > QUOTA_MAX_MIB)
    return {
      ok: false,
      message: `Enter a quota between ${QUOTA_MIN_MIB} and ${QUOTA_MAX_MIB.toLocaleString('en')} MiB.`,
    };
  return { ok: true, mib };
}

const sameProfile = (a: ProfileRef | undefined, b: ProfileRef | undefined) =>
  a?.platformOrigin === b?.platformOrigin && a?.principalId === b?.principalId;

function newTaskId(): string {
  return `rotate-${crypto.randomUUID()}`;
}

const initial = {
  cache: null,
  cachePhase: 'idle',
  cacheError: null,
  cacheOp: { phase: 'idle' },
  profiles: [],
  profilesPhase: 'idle',
  offline: false,
  rotation: { phase: 'idle' },
  signOutError: null,
} satisfies Partial<SettingsState>;

/**
 * This console's own settings: the evidence cache (size, quota, clearing it, rotating its master key
 * for the profile in use) and the profiles it holds credentials for. Not tenant-scoped; a change of
 * profile forgets the rotation shown, which was about the previous one.
 */
export function createSettingsStore(client: ContractClient, session: SessionStore) {
  let profileGen = 0;

  const store = createStore<SettingsState>()((set, get) => {
    const seen = offlineFlag(get, set);

    const cacheWrite = async (op: CacheOp, send: () => Promise<Result<CacheStats>>) => {
      if (get().cacheOp.phase === 'working') return;
      set({ cacheOp: { phase: 'working', op } });
      const answer = seen(await send());
      set(
        answer.ok
          ? { cache: answer.value, cachePhase: 'ready', cacheError: null, cacheOp: { phase: 'done', op } }
          : { cacheOp: { phase: 'failed', op, error: answer.error } },
      );
    };

    const loadProfiles = async () => {
      set((s) => ({ profilesPhase: s.profiles.length > 0 ? 'ready' : 'loading' }));
      const listed = seen(await client.call('profiles.list', {}));
      set((s) =>
        listed.ok
          ? { profiles: listed.value.profiles, profilesPhase: 'ready' }
          : { profilesPhase: s.profiles.length > 0 ? 'ready' : 'error' },
      );
    };

    return {
      ...initial,

      async load() {
        set((s) => ({ cachePhase: s.cache ? 'ready' : 'loading', cacheError: null }));
        const [status] = await Promise.all([client.call('cache.status', {}), loadProfiles()]);
        seen(status);
        set((s) =>
          status.ok
            ? { cache: status.value, cachePhase: 'ready', cacheError: null }
            : { cachePhase: s.cache ? 'ready' : 'error', cacheError: status.error },
        );
      },

      setQuotaMiB: (mib) =>
        cacheWrite('quota', () => client.call('cache.setQuota', { quotaBytes: mib * MIB })),

      clearCache: () => cacheWrite('clear', () => client.call('cache.clear', {})),

      async rotateMasterKey() {
        const active = session.getState().active;
        if (!active || get().rotation.phase === 'running') return;
        const mine = profileGen;
        const taskId = newTaskId();
        set({ rotation: { phase: 'running', taskId, done: 0, total: 0 } });
        const rotated = seen(await client.call('cache.rotateMasterKey', { profile: active.profile, taskId }));
        if (mine !== profileGen) return;
        set({
          rotation: rotated.ok
            ? { phase: 'done', rewrapped: rotated.value.rewrapped }
            : { phase: 'failed', error: rotated.error },
        });
      },

      async cancelRotation() {
        const rotation = get().rotation;
        if (rotation.phase === 'running')
          await client.call('cache.cancelRotation', { taskId: rotation.taskId });
      },

      async signOut(profile) {
        set({ signOutError: null });
        if (sameProfile(profile, session.getState().active?.profile)) return session.getState().signOut();
        const out = seen(await client.call('session.signOut', { profile }));
        if (!out.ok) return set({ signOutError: out.error });
        // The session store lists profiles for the sign-in screen: both lists drop the one signed out.
        await Promise.all([loadProfiles(), session.getState().load()]);
      },

      dispose() {
        stopEvents();
        unsubscribe();
      },
    };
  });

  // Progress is pushed, never asked for: only events of the task this store started move the bar.
  const stopEvents = client.onEvent((name, payload) => {
    if (name !== 'progress') return;
    const progress = events.progress.safeParse(payload);
    const rotation = store.getState().rotation;
    if (!progress.success || rotation.phase !== 'running' || progress.data.task !== rotation.taskId) return;
    if (progress.data.done < rotation.done) return;
    store.setState({ rotation: { ...rotation, done: progress.data.done, total: progress.data.total } });
  });

  let active = session.getState().active?.profile;
  const unsubscribe = session.subscribe((state) => {
    if (sameProfile(state.active?.profile, active)) return;
    active = state.active?.profile;
    profileGen++;
    store.setState({ rotation: { phase: 'idle' }, signOutError: null });
    if (active) void store.getState().load();
  });

  return store;
}

export type SettingsStore = ReturnType<typeof createSettingsStore>;
