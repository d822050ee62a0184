import type { Policy } from '../../shared/api/approvals';
import { PolicyChange } from '../../shared/approvals/kinds';
import { type CallOutput, events } from '../../shared/contract/contract';
import type { Environment } from '../../shared/domain/environments';
import type { AppError } from '../../shared/result';
import type { ContractClient } from '../contract/client';
import type { OfflineAware } from './offline-flag';
import { changeOf, checkDraft, type DraftProblem, draftOf, type PolicyDraft } from './policy-draft';
import type { SessionStore } from './session-store';
import { createTenantScopedStore, type TenantScopedOptions, tenantScopeOf } from './tenant-scoped';

export type { DraftProblem, PolicyDraft };

type ListedRequest = CallOutput<'approvals.list'>['requests'][number];
type RaisedRequest = CallOutput<'approvals.create'>['request'];

/** A pending `policy.update` request, with its payload read as a change (null if it cannot be read). */
export interface PendingChange {
  readonly request: ListedRequest;
  readonly change: PolicyChange | null;
}

export type Phase = 'idle' | 'loading' | 'ready' | 'error';

export type SubmitState =
  | { readonly phase: 'idle' }
  | { readonly phase: 'sending' }
  /** Checked before sending and not sent: what would be refused, field by field. */
  | { readonly phase: 'refused'; readonly problems: readonly DraftProblem[] }
  /** Sent and refused by the platform (or not delivered): its words; the draft is kept. */
  | { readonly phase: 'failed'; readonly error: AppError }
  | { readonly phase: 'sent'; readonly request: RaisedRequest };

export interface PolicyState extends OfflineAware {
  readonly phase: Phase;
  readonly policy: Policy | null;
  readonly error: AppError | null;
  /** Pending policy changes of the organization, in every environment the profile works in. */
  readonly pending: readonly PendingChange[];
  readonly pendingPhase: Phase;
  readonly pendingError: AppError | null;
  /** The change being written; kept when the editor closes, so nothing typed is lost. */
  readonly draft: PolicyDraft | null;
  readonly submit: SubmitState;
  /** Reads the policy and the pending changes again, keeping what is on show until they arrive. */
  load(): Promise<void>;
  /** Opens the draft: the one already begun, or a copy of the policy in force. */
  startDraft(): void;
  editDraft(change: Partial<PolicyDraft>): void;
  /** Back to the policy in force (the draft's title and justification stay). */
  resetDraft(): void;
  discardDraft(): void;
  /** Checks the draft with the platform's rules, then raises the `policy.update` request. */
  submitDraft(): Promise<SubmitState>;
  clearSubmit(): void;
  dispose(): void;
}

const initial = {
  phase: 'idle',
  policy: null,
  error: null,
  offline: false,
  pending: [],
  pendingPhase: 'idle',
  pendingError: null,
  draft: null,
  submit: { phase: 'idle' },
} satisfies Partial<PolicyState>;

const PENDING_LIMIT = 50;

/**
 * The organization's approval policy and the changes to it waiting for approval; the draft of a new one
 * and its sending. Scoped to the session's tenant (the policy is the organization's, the request is
 * raised in the environment in use): a switch drops it all, the draft included, since a draft is a
 * change to one organization's policy.
 */
export function createPolicyStore(client: ContractClient, session: SessionStore) {
  const options: TenantScopedOptions<PolicyState> = {
    initial,
    tracksOffline: true,
    onSwitch: ({ previous, current, scope }) => {
      if (previous.phase !== 'idle' && scope) void current.load();
    },
  };
  const store = createTenantScopedStore(session, options, (set, get, tenant) => {
    /** The organization's environments this profile may work in, the one in use first. */
    const environments = (): Environment[] => {
      const where = tenant.scope();
      if (!where) return [];
      const listed = session
        .getState()
        .tenants.find((t) => t.organization === where.tenant.organization)?.environments;
      const others = (listed ?? []).filter((e) => e !== where.tenant.environment);
      return [where.tenant.environment, ...others];
    };

    const loadPending = async () => {
      const where = tenant.scope();
      if (!where) return;
      const query = tenant.startQuery();
      set((s) => ({ pendingPhase: s.pending.length > 0 ? s.pendingPhase : 'loading' }));
      const lists = await Promise.all(
        environments().map((environment) =>
          query.settle(
            client.call('approvals.list', {
              profile: where.profile,
              tenant: { organization: where.tenant.organization, environment },
              query: { status: 'pending', kind: 'policy.update', limit: PENDING_LIMIT },
            }),
          ),
        ),
      );
      if (lists.some((list) => list === null)) return;
      const failed = lists.find((list) => list && !list.ok);
      if (failed && !failed.ok) return set({ pendingPhase: 'error', pendingError: failed.error });
      const pending = lists
        .flatMap((list) => (list?.ok ? list.value.requests : []))
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
        .map((request) => {
          const change = PolicyChange.safeParse(request.payload);
          return { request, change: change.success ? change.data : null };
        });
      set({ pending, pendingPhase: 'ready', pendingError: null });
    };

    const loadPolicy = async () => {
      const where = tenant.scope();
      if (!where) return;
      const asked = tenant.guardTenant();
      set((s) => ({ phase: s.policy ? s.phase : 'loading' }));
      const policy = await asked.settle(client.call('policy.get', where));
      if (!policy) return;
      if (!policy.ok) return set((s) => ({ phase: s.policy ? 'ready' : 'error', error: policy.error }));
      set({ phase: 'ready', policy: policy.value, error: null });
    };

    return {
      ...initial,

      async load() {
        await Promise.all([loadPolicy(), loadPending()]);
      },

      startDraft() {
        const { draft, policy } = get();
        if (draft || !policy) return;
        set({ draft: draftOf(policy), submit: { phase: 'idle' } });
      },

      editDraft(change) {
        const { draft, submit } = get();
        if (!draft) return;
        // A refusal from before the edit no longer speaks for the draft; the screen checks it as typed.
        set({ draft: { ...draft, ...change }, submit: submit.phase === 'sent' ? submit : { phase: 'idle' } });
      },

      resetDraft() {
        const { draft, policy } = get();
        if (!draft || !policy) return;
        set({ draft: { ...draftOf(policy), title: draft.title, summary: draft.summary } });
      },

      discardDraft() {
        set({ draft: null, submit: { phase: 'idle' } });
      },

      async submitDraft() {
        const { draft, policy, submit } = get();
        const where = tenant.scope();
        if (!draft || !policy || !where || submit.phase === 'sending') return submit;
        const problems = checkDraft(policy, draft);
        if (problems.length > 0) {
          const refused: SubmitState = { phase: 'refused', problems };
          set({ submit: refused });
          return refused;
        }
        const asked = tenant.guardTenant();
        set({ submit: { phase: 'sending' } });
        const created = await asked.settle(
          client.call('approvals.create', {
            ...where,
            kind: 'policy.update',
            title: draft.title.trim(),
            summary: draft.summary.trim(),
            payload: changeOf(policy, draft),
          }),
        );
        if (!created) return get().submit;
        const outcome: SubmitState = created.ok
          ? { phase: 'sent', request: created.value.request }
          : { phase: 'failed', error: created.error };
        set(created.ok ? { submit: outcome, draft: null } : { submit: outcome });
        if (created.ok) void loadPending();
        return outcome;
      },

      clearSubmit() {
        set({ submit: { phase: 'idle' } });
      },

      dispose() {
        stopEvents();
        tenant.dispose();
      },
    };
  });

  // A request raised, decided or withdrawn from this console may be a policy change, or carry one out.
  const stopEvents = client.onEvent((name, payload) => {
    if (name !== 'approvals.changed') return;
    const changed = events['approvals.changed'].safeParse(payload);
    const where = tenantScopeOf(session);
    if (!changed.success || !where || store.getState().phase === 'idle') return;
    // Any environment of the organization: the policy is the organization's, whichever log holds the request.
    const ours =
      changed.data.profile.platformOrigin === where.profile.platformOrigin &&
      changed.data.tenant.organization === where.tenant.organization;
    if (ours) void store.getState().load();
  });

  return store;
}

export type PolicyStore = ReturnType<typeof createPolicyStore>;
