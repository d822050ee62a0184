import type { ApiKey } from '../../shared/api/api-keys';
import type { ApprovalRequest } from '../../shared/api/approvals';
import type { CallInput, CallOutput } from '../../shared/contract/contract';
import type { AppError, Result } from '../../shared/result';
import type { ContractClient } from '../contract/client';
import type { OfflineAware } from './offline-flag';
import type { SessionStore } from './session-store';
import { createTenantScopedStore, reloadedOnSwitch, type TenantScope } from './tenant-scoped';

export type { ApiKey };
export type CreateKeyRequest = CallInput<'apiKeys.create'>['request'];
export type KeyAction = 'create' | 'rotate' | 'revoke';
export type Phase = 'idle' | 'loading' | 'ready' | 'error';
export type DeviceKeyRotation = CallOutput<'deviceKey.rotate'>;

/** What the last key write came to; the screen turns it into a notice. */
export type WriteState =
  | { readonly phase: 'idle' }
  | { readonly phase: 'working'; readonly action: KeyAction; readonly keyId: string | null }
  | { readonly phase: 'done'; readonly action: KeyAction; readonly key: ApiKey }
  | { readonly phase: 'approval-requested'; readonly action: KeyAction; readonly request: ApprovalRequest }
  | { readonly phase: 'failed'; readonly action: KeyAction; readonly error: AppError };

export type SaveState =
  | { readonly phase: 'idle' }
  | { readonly phase: 'saving' }
  | { readonly phase: 'saved'; readonly principalId: string }
  | { readonly phase: 'failed'; readonly error: AppError };

/** A secret the platform answered once. It lives here only until the person dismisses its dialog. */
export interface RevealedSecret {
  readonly action: 'create' | 'rotate';
  readonly key: ApiKey;
  readonly secret: string;
  readonly save: SaveState;
}

export type DeviceKeyState =
  | { readonly phase: 'idle' }
  | { readonly phase: 'rotating' }
  | { readonly phase: 'done'; readonly result: DeviceKeyRotation }
  | { readonly phase: 'failed'; readonly error: AppError };

export interface ApiKeysState extends OfflineAware {
  readonly keys: readonly ApiKey[];
  readonly phase: Phase;
  readonly error: AppError | null;
  readonly write: WriteState;
  readonly revealed: RevealedSecret | null;
  readonly deviceKey: DeviceKeyState;
  load(): Promise<void>;
  create(request: CreateKeyRequest): Promise<WriteState>;
  rotate(keyId: string, gracePeriodSeconds: number): Promise<WriteState>;
  revoke(keyId: string): Promise<WriteState>;
  /** Opt-in: the revealed key becomes a profile in this computer's keychain (session.signInWithApiKey). */
  saveAsProfile(): Promise<void>;
  /** Drops the revealed secret for good. */
  dismissSecret(): void;
  clearWrite(): void;
  rotateDeviceKey(): Promise<void>;
  clearDeviceKey(): void;
  dispose(): void;
}

const initial = {
  keys: [],
  phase: 'idle',
  error: null,
  offline: false,
  write: { phase: 'idle' },
  revealed: null,
  deviceKey: { phase: 'idle' },
} satisfies Partial<ApiKeysState>;

/**
 * The API keys of the tenant in use, the key writes made from this screen, and the device-key rotation.
 * Tenant-scoped: when the session's epoch moves, everything (a revealed secret included) is forgotten
 * and answers still on their way for the old tenant are dropped.
 */
export function createApiKeysStore(client: ContractClient, session: SessionStore) {
  return createTenantScopedStore(session, reloadedOnSwitch<ApiKeysState>(initial), (set, get, tenant) => {
    /** One key write, shared by create, rotate and revoke: the answer is a secret, a request or an error. */
    const write = async (
      action: KeyAction,
      keyId: string | null,
      send: (where: TenantScope) => Promise<Result<CallOutput<'apiKeys.create'>>>,
    ): Promise<WriteState> => {
      const where = tenant.scope();
      if (!where || get().write.phase === 'working') return get().write;
      const asked = tenant.guardTenant();
      set({ write: { phase: 'working', action, keyId } });
      const answer = await asked.settle(send(where));
      if (!answer) return { phase: 'idle' };
      let next: WriteState;
      if (!answer.ok) next = { phase: 'failed', action, error: answer.error };
      else if (answer.value.outcome === 'approval-requested')
        next = { phase: 'approval-requested', action, request: answer.value.request };
      else {
        const { key, secret } = answer.value;
        next = { phase: 'done', action, key };
        if (secret && action !== 'revoke')
          set({ revealed: { action, key, secret, save: { phase: 'idle' } } });
      }
      set({ write: next });
      // A done write changed the list (a new key, an old one in grace, a revoked one): read it back.
      if (next.phase === 'done') await get().load();
      return next;
    };

    return {
      ...initial,

      async load() {
        const where = tenant.scope();
        if (!where) return;
        const asked = tenant.guardTenant();
        set({ phase: get().keys.length > 0 ? 'ready' : 'loading', error: null });
        const listed = await asked.settle(client.call('apiKeys.list', where));
        if (!listed) return;
        if (!listed.ok) return set({ phase: get().keys.length > 0 ? 'ready' : 'error', error: listed.error });
        set({ phase: 'ready', keys: listed.value.keys, error: null });
      },

      create: (request) =>
        write('create', null, (where) => client.call('apiKeys.create', { ...where, request })),

      rotate: (keyId, gracePeriodSeconds) =>
        write('rotate', keyId, (where) =>
          client.call('apiKeys.rotate', { ...where, keyId, request: { gracePeriodSeconds } }),
        ),

      revoke: (keyId) =>
        write('revoke', keyId, (where) => client.call('apiKeys.revoke', { ...where, keyId })),

      async saveAsProfile() {
        const revealed = get().revealed;
        const active = session.getState().active;
        if (!revealed || !active || revealed.save.phase === 'saving' || revealed.save.phase === 'saved')
          return;
        const update = (save: SaveState) =>
          set((s) => (s.revealed?.key.id === revealed.key.id ? { revealed: { ...s.revealed, save } } : {}));
        update({ phase: 'saving' });
        // Not guarded: the secret was this tenant's, and `update` touches only the dialog still showing it.
        const saved = tenant.noteReachability(
          await client.call('session.signInWithApiKey', {
            platformUrl: active.profile.platformOrigin,
            apiKey: revealed.secret,
          }),
        );
        update(
          saved.ok
            ? { phase: 'saved', principalId: saved.value.profile.principalId }
            : { phase: 'failed', error: saved.error },
        );
        // The sign-in screen and Settings list profiles from the session store: let it read them again.
        if (saved.ok) await session.getState().load();
      },

      dismissSecret() {
        set({ revealed: null });
      },

      clearWrite() {
        if (get().write.phase !== 'working') set({ write: { phase: 'idle' } });
      },

      async rotateDeviceKey() {
        const active = session.getState().active;
        if (!active || get().deviceKey.phase === 'rotating') return;
        const asked = tenant.guardTenant();
        set({ deviceKey: { phase: 'rotating' } });
        const rotated = await asked.settle(client.call('deviceKey.rotate', { profile: active.profile }));
        if (!rotated) return;
        set({
          deviceKey: rotated.ok
            ? { phase: 'done', result: rotated.value }
            : { phase: 'failed', error: rotated.error },
        });
      },

      clearDeviceKey() {
        if (get().deviceKey.phase !== 'rotating') set({ deviceKey: { phase: 'idle' } });
      },

      dispose: tenant.dispose,
    };
  });
}

export type ApiKeysStore = ReturnType<typeof createApiKeysStore>;
