import { createStore } from 'zustand/vanilla';
import type { Tenant } from '../../shared/contract/calls/tenants';
import type { ProfileRef, TenantRef } from '../../shared/contract/contract';
import type { ContractClient } from '../contract/client';

export type SignInState =
  | { readonly status: 'idle' }
  | { readonly status: 'starting' }
  | {
      readonly status: 'waiting';
      readonly signInId: string;
      readonly authorizationUrl: string;
      readonly opened: boolean;
    }
  | { readonly status: 'failed'; readonly message: string };

export interface ActiveProfile {
  readonly profile: ProfileRef;
  /** What the header shows: the person's e-mail, or the API key's id. */
  readonly label: string;
}

/** The OS keychain as the main process found it; `checking` until it has answered. */
export type KeychainState =
  | { readonly status: 'checking' }
  | { readonly status: 'available' }
  | { readonly status: 'missing'; readonly problem: string; readonly fix: string };

export interface SessionState {
  readonly keychain: KeychainState;
  readonly defaultPlatformUrl: string | null;
  readonly profiles: readonly ProfileRef[];
  readonly active: ActiveProfile | null;
  readonly tenants: readonly Tenant[];
  readonly tenant: TenantRef | null;
  /** Bumped on every tenant or profile switch; tenant-scoped stores drop their state when it changes. */
  readonly tenantEpoch: number;
  readonly signIn: SignInState;
  readonly error: string | null;
  load(): Promise<void>;
  /** Asks the main process again whether the keychain can be used (the start screen's Check again). */
  checkKeychain(): Promise<boolean>;
  signInWithBrowser(platformUrl: string): Promise<void>;
  cancelSignIn(): Promise<void>;
  signInWithApiKey(platformUrl: string, apiKey: string): Promise<void>;
  openProfile(profile: ProfileRef, label: string): Promise<void>;
  selectTenant(tenant: TenantRef): void;
  signOut(): Promise<void>;
  onSessionExpired(profile: ProfileRef): void;
}

const sameProfile = (a: ProfileRef, b: ProfileRef) =>
  a.platformOrigin === b.platformOrigin && a.principalId === b.principalId;

/** Who is signed in, to which platform, and the tenant in use; secrets never come here. */
export function createSessionStore(client: ContractClient) {
  return createStore<SessionState>()((set, get) => ({
    keychain: { status: 'checking' },
    defaultPlatformUrl: null,
    profiles: [],
    active: null,
    tenants: [],
    tenant: null,
    tenantEpoch: 0,
    signIn: { status: 'idle' },
    error: null,

    async checkKeychain() {
      const checked = await client.call('app.keychain', {});
      const keychain: KeychainState =
        checked.ok && !checked.value.available
          ? {
              status: 'missing',
              problem: checked.value.problem ?? 'The OS keychain cannot be used.',
              fix: checked.value.fix ?? '',
            }
          : { status: 'available' };
      set({ keychain });
      return keychain.status === 'available';
    },

    async load() {
      // Before anyone types a password: a sign-in this computer cannot keep is not offered at all.
      if (!(await get().checkKeychain())) return;
      const [info, profiles] = await Promise.all([
        client.call('app.info', {}),
        client.call('profiles.list', {}),
      ]);
      set({
        defaultPlatformUrl: info.ok ? info.value.defaultPlatformUrl : null,
        profiles: profiles.ok ? profiles.value.profiles : [],
        error: profiles.ok ? null : profiles.error.message,
      });
    },

    async signInWithBrowser(platformUrl) {
      set({ signIn: { status: 'starting' }, error: null });
      const begun = await client.call('session.beginBrowserSignIn', { platformUrl });
      if (!begun.ok) return set({ signIn: { status: 'failed', message: begun.error.message } });
      set({ signIn: { status: 'waiting', ...begun.value } });
      const done = await client.call('session.completeBrowserSignIn', { signInId: begun.value.signInId });
      const current = get().signIn;
      if (current.status !== 'waiting' || current.signInId !== begun.value.signInId) return;
      if (!done.ok) return set({ signIn: { status: 'failed', message: done.error.message } });
      set({ signIn: { status: 'idle' } });
      await get().openProfile(done.value.profile, done.value.email);
    },

    async cancelSignIn() {
      const current = get().signIn;
      set({ signIn: { status: 'idle' } });
      if (current.status === 'waiting')
        await client.call('session.cancelBrowserSignIn', { signInId: current.signInId });
    },

    async signInWithApiKey(platformUrl, apiKey) {
      set({ signIn: { status: 'starting' }, error: null });
      const signedIn = await client.call('session.signInWithApiKey', { platformUrl, apiKey });
      if (!signedIn.ok) return set({ signIn: { status: 'failed', message: signedIn.error.message } });
      set({ signIn: { status: 'idle' } });
      await get().openProfile(signedIn.value.profile, signedIn.value.profile.principalId);
    },

    async openProfile(profile, label) {
      const tenants = await client.call('tenants.list', { profile });
      if (!tenants.ok) return set({ error: tenants.error.message });
      const first = tenants.value.tenants[0];
      const known = get().profiles.some((p) => sameProfile(p, profile));
      set((state) => ({
        active: { profile, label },
        profiles: known ? state.profiles : [...state.profiles, profile],
        tenants: tenants.value.tenants,
        // A fresh sign-in starts in test: live is never where a console lands by itself.
        tenant: first
          ? {
              organization: first.organization,
              environment: first.environments.includes('test') ? 'test' : 'live',
            }
          : null,
        tenantEpoch: state.tenantEpoch + 1,
        error: null,
      }));
    },

    selectTenant(tenant) {
      const current = get().tenant;
      if (
        current &&
        current.organization === tenant.organization &&
        current.environment === tenant.environment
      )
        return;
      set((state) => ({ tenant, tenantEpoch: state.tenantEpoch + 1 }));
    },

    async signOut() {
      const active = get().active;
      if (!active) return;
      await client.call('session.signOut', { profile: active.profile });
      set((state) => ({
        active: null,
        tenants: [],
        tenant: null,
        tenantEpoch: state.tenantEpoch + 1,
        profiles: state.profiles.filter((p) => !sameProfile(p, active.profile)),
      }));
    },

    onSessionExpired(profile) {
      const active = get().active;
      if (!active || !sameProfile(active.profile, profile)) return;
      set((state) => ({
        active: null,
        tenants: [],
        tenant: null,
        tenantEpoch: state.tenantEpoch + 1,
        error: 'Your session has ended. Sign in again to continue.',
      }));
    },
  }));
}

export type SessionStore = ReturnType<typeof createSessionStore>;
