import type { ApprovalRequest } from '../../shared/api/approvals';
import type { Member } from '../../shared/api/organizations';
import type { RoleList } from '../../shared/api/roles';
import type { RoleName } from '../../shared/domain/permissions';
import type { AppError } from '../../shared/result';
import type { ContractClient } from '../contract/client';
import type { OfflineAware } from './offline-flag';
import type { SessionStore } from './session-store';
import { createTenantScopedStore, reloadedOnSwitch } from './tenant-scoped';

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

export interface MembersState extends OfflineAware {
  readonly members: readonly Member[];
  readonly roles: RoleList | null;
  readonly phase: Phase;
  readonly error: AppError | null;
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
  return createTenantScopedStore(session, reloadedOnSwitch<MembersState>(initial), (set, get, tenant) => ({
    ...initial,

    async load() {
      const where = tenant.scope();
      if (!where) return;
      const asked = tenant.guardTenant();
      const had = get().members.length > 0;
      set({ phase: had ? 'ready' : 'loading', error: null });
      const [members, roles] = await Promise.all([
        client.call('members.list', where),
        client.call('roles.list', { profile: where.profile }),
      ]);
      if (!asked.current) return;
      // Two answers, one flag: the first that failed says whether the platform was there.
      tenant.noteReachability(members.ok ? roles : members);
      const error = !members.ok ? members.error : !roles.ok ? roles.error : null;
      set((s) => ({
        members: members.ok ? members.value.members : s.members,
        roles: roles.ok ? roles.value : s.roles,
        phase: !members.ok && !had ? 'error' : 'ready',
        error,
      }));
    },

    async changeRole(userId, role) {
      const where = tenant.scope();
      if (!where || get().change.phase === 'saving') return get().change;
      const asked = tenant.guardTenant();
      set({ change: { phase: 'saving', userId, role } });
      const changed = await asked.settle(client.call('members.changeRole', { ...where, userId, role }));
      if (!changed) return { phase: 'idle' };
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

    dispose: tenant.dispose,
  }));
}

export type MembersStore = ReturnType<typeof createMembersStore>;
