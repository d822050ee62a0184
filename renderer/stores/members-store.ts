import { createStore } from 'zustand/vanilla';
import type { ApprovalRequest } from '../../shared/api/approvals';
import type { Member } from '../../shared/api/organizations';
import type { RoleList } from '../../shared/api/roles';
import type { RoleName } from '../../shared/domain/permissions';
import type { AppError, Result } from '../../shared/result';
import type { ContractClient } from '../contract/client';
import type { SessionStore } from './session-store';

export type { Member, RoleList };
export type Phase = 'idle' | 'loading' | 'ready' | 'error';

/** The last role change asked for from this screen, and what it came to. */
export type ChangeState =
  | { readonly phase: 'idle' }
  | { readonly phase: 'saving'; readonly userId: string; readonly role: RoleName }
  | { readonly phase: 'done'; readonly member: Member }
  | {
      readonly phase: 'approval-requested';
      readonly userId: string;
      readonly role: RoleName;
      readonly request: ApprovalRequest;
    }
  | { readonly phase: 'failed'; readonly userId: string; readonly role: RoleName; readonly error: AppError };

export interface MembersState {
  readonly members: readonly Member[];
  readonly roles: RoleList | null;
  readonly phase: Phase;
  readonly error: AppError | null;
  readonly offline: boolean;
  readonly change: ChangeState;
  load(): Promise<void>;
  changeRole(userId: string, role: RoleName): Promise<ChangeState>;
  clearChange(): void;
  dispose(): void;
}

const initial = {
  members: [],
  roles: null,
  phase: 'idle',
  error: null,
  offline: false,
  change: { phase: 'idle' },
} satisfies Partial<MembersState>;

/**
 * The tenant organization's members, the role-by-permission matrix, and role changes. Tenant-scoped like
 * every store of a tenant screen: a new epoch forgets it all and drops answers for the old tenant.
 */
export function createMembersStore(client: ContractClient, session: SessionStore) {
  let tenantGen = 0;
  const scope = () => {
    const { active, tenant } = session.getState();
    return active && tenant ? { profile: active.profile, tenant } : null;
  };

  const store = createStore<MembersState>()((set, get) => {
    const seen = <T>(result: Result<T>): Result<T> => {
      const offline = !result.ok && result.error.code === 'unavailable';
      if (offline !== get().offline) set({ offline });
      return result;
    };

    return {
      ...initial,

      async load() {
        const where = scope();
        if (!where) return;
        const mine = tenantGen;
        const had = get().members.length > 0;
        set({ phase: had ? 'ready' : 'loading', error: null });
        const [members, roles] = await Promise.all([
          client.call('members.list', where),
          client.call('roles.list', { profile: where.profile }),
        ]);
        if (mine !== tenantGen) return;
        seen(members.ok ? roles : members);
        const error = !members.ok ? members.error : !roles.ok ? roles.error : null;
        set((s) => ({
          members: members.ok ? members.value.members : s.members,
          roles: roles.ok ? roles.value : s.roles,
          phase: !members.ok && !had ? 'error' : 'ready',
          error,
        }));
      },

      async changeRole(userId, role) {
        const where = scope();
        if (!where || get().change.phase === 'saving') return get().change;
        const mine = tenantGen;
        set({ change: { phase: 'saving', userId, role } });
        const changed = seen(await client.call('members.changeRole', { ...where, userId, role }));
        if (mine !== tenantGen) return { phase: 'idle' };
        let next: ChangeState;
        if (!changed.ok) next = { phase: 'failed', userId, role, error: changed.error };
        else if (changed.value.outcome === 'approval-requested')
          next = { phase: 'approval-requested', userId, role, request: changed.value.request };
        else next = { phase: 'done', member: changed.value.member };
        const updated = next.phase === 'done' ? next.member : null;
        set((s) => ({
          change: next,
          members: updated ? s.members.map((m) => (m.userId === updated.userId ? updated : m)) : s.members,
        }));
        return next;
      },

      clearChange() {
        if (get().change.phase !== 'saving') set({ change: { phase: 'idle' } });
      },

      dispose() {
        unsubscribe();
      },
    };
  });

  let epoch = session.getState().tenantEpoch;
  const unsubscribe = session.subscribe((state) => {
    if (state.tenantEpoch === epoch) return;
    epoch = state.tenantEpoch;
    tenantGen++;
    store.setState(initial);
    if (scope()) void store.getState().load();
  });

  return store;
}

export type MembersStore = ReturnType<typeof createMembersStore>;
