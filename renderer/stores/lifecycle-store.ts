import type { ApprovalRequest } from '../../shared/api/approvals';
import type { Elevation, Grants, Invitation } from '../../shared/api/lifecycle';
import type { AppError, Result } from '../../shared/result';
import type { ContractClient } from '../contract/client';
import type { OfflineAware } from './offline-flag';
import type { SessionStore } from './session-store';
import { createTenantScopedStore, reloadedOnSwitch } from './tenant-scoped';

export type { Elevation, Grants, Invitation };

/** A lifecycle step asked for from the Members screen: always an approval request (the lane decides). */
export interface LifecycleAsk {
  readonly kind:
    | 'member.invite'
    | 'member.remove'
    | 'member.suspend'
    | 'member.resume'
    | 'member.elevate'
    | 'api_key.transfer'
    | 'api_key.revoke';
  readonly title: string;
  /** Why: the justification approvers read. */
  readonly summary: string;
  readonly payload: Record<string, unknown>;
  /** An API key's request is raised in the key's environment; the others take the tenant in use. */
  readonly environment?: 'test' | 'live';
}

/** The last request raised from the screen, with what it asked in words, or why it was refused. */
export type AskState =
  | { readonly phase: 'idle' }
  | { readonly phase: 'raising'; readonly ask: LifecycleAsk }
  | { readonly phase: 'raised'; readonly ask: LifecycleAsk; readonly request: ApprovalRequest }
  | { readonly phase: 'failed'; readonly ask: LifecycleAsk; readonly error: AppError };

export interface LifecycleState extends OfflineAware {
  readonly invitations: readonly Invitation[];
  readonly elevations: readonly Elevation[];
  /** Grants with last use; null when the role may not read keys (the platform says so). */
  readonly grants: Grants | null;
  /** The policy's longest elevation, in hours (8 unless the organization says otherwise). */
  readonly maxElevationHours: number;
  readonly phase: 'idle' | 'loading' | 'ready' | 'error';
  readonly error: AppError | null;
  readonly ask: AskState;
  load(): Promise<void>;
  raise(ask: LifecycleAsk): Promise<AskState>;
  revokeInvitation(id: string): Promise<Result<Invitation>>;
  endElevation(id: string): Promise<Result<Elevation>>;
  clearAsk(): void;
  dispose(): void;
}

const initial = {
  invitations: [],
  elevations: [],
  grants: null,
  maxElevationHours: 8,
  phase: 'idle',
  error: null,
  offline: false,
  ask: { phase: 'idle' },
} satisfies Partial<LifecycleState>;

/**
 * The Members screen's lifecycle part: pending invitations, elevations in force, grants with last use, and
 * the requests raised for invitations, removals, suspensions, elevations and key hand-overs.
 */
export function createLifecycleStore(client: ContractClient, session: SessionStore) {
  return createTenantScopedStore(session, reloadedOnSwitch<LifecycleState>(initial), (set, get, tenant) => ({
    ...initial,

    async load() {
      const where = tenant.scope();
      if (!where) return;
      const asked = tenant.guardTenant();
      set((s) => ({ phase: s.phase === 'ready' ? 'ready' : 'loading', error: null }));
      const [invitations, elevations, grants, policy] = await Promise.all([
        client.call('invitations.list', { ...where, status: 'pending' }),
        client.call('elevations.list', { ...where, status: 'active' }),
        client.call('grants.get', where),
        client.call('policy.get', where),
      ]);
      if (!asked.current) return;
      tenant.noteReachability(!invitations.ok ? invitations : elevations);
      // Grants need keys:read too: a member who lacks it still sees invitations and elevations.
      const error = !invitations.ok ? invitations.error : !elevations.ok ? elevations.error : null;
      set((s) => ({
        invitations: invitations.ok ? invitations.value.invitations : s.invitations,
        elevations: elevations.ok ? elevations.value.elevations : s.elevations,
        grants: grants.ok ? grants.value : null,
        maxElevationHours: (policy.ok ? policy.value.maxElevationHours : undefined) ?? s.maxElevationHours,
        phase: error && !s.invitations.length ? 'error' : 'ready',
        error,
      }));
    },

    async raise(ask) {
      const where = tenant.scope();
      if (!where || get().ask.phase === 'raising') return get().ask;
      const asked = tenant.guardTenant();
      set({ ask: { phase: 'raising', ask } });
      const scope = ask.environment
        ? { ...where, tenant: { ...where.tenant, environment: ask.environment } }
        : where;
      const raised = await asked.settle(
        client.call('approvals.create', {
          ...scope,
          kind: ask.kind,
          title: ask.title,
          summary: ask.summary,
          payload: ask.payload,
        }),
      );
      if (!raised) return { phase: 'idle' };
      const next: AskState = raised.ok
        ? { phase: 'raised', ask, request: raised.value.request }
        : { phase: 'failed', ask, error: raised.error };
      set({ ask: next });
      // A green request is carried out at once: what the screen shows may have changed.
      if (raised.ok && raised.value.request.status !== 'pending') void get().load();
      return next;
    },

    async revokeInvitation(id) {
      const where = tenant.scope();
      if (!where) return { ok: false, error: { code: 'bad-request', message: 'No tenant.' } };
      const revoked = await client.call('invitations.revoke', { ...where, invitationId: id });
      if (revoked.ok) set((s) => ({ invitations: s.invitations.filter((i) => i.id !== id) }));
      return revoked;
    },

    async endElevation(id) {
      const where = tenant.scope();
      if (!where) return { ok: false, error: { code: 'bad-request', message: 'No tenant.' } };
      const ended = await client.call('elevations.end', { ...where, elevationId: id });
      if (ended.ok) set((s) => ({ elevations: s.elevations.filter((e) => e.id !== id) }));
      return ended;
    },

    clearAsk() {
      if (get().ask.phase !== 'raising') set({ ask: { phase: 'idle' } });
    },

    dispose: tenant.dispose,
  }));
}

export type LifecycleStore = ReturnType<typeof createLifecycleStore>;
