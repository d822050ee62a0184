import type { Lane } from '../../shared/approvals/kinds';
import { type CallInput, type CallOutput, events } from '../../shared/contract/contract';
import { type AppError, fail, type Result } from '../../shared/result';
import type { ContractClient } from '../contract/client';
import { type LinkedRequest, linkedRequests, sameTenant } from './approval-links';
import type { OfflineAware } from './offline-flag';
import { keptSelection, stepSelection } from './row-selection';
import type { SessionStore } from './session-store';
import {
  createTenantScopedStore,
  type TenantScope,
  type TenantScopedOptions,
  tenantScopeOf,
} from './tenant-scoped';

export type { LinkedRequest };

export type QueueRow = CallOutput<'approvals.list'>['requests'][number];
export type ApprovalDetail = CallOutput<'approvals.get'>;
export type DecisionReceipt = CallOutput<'approvals.decide'>;
export type Decision = CallInput<'approvals.decide'>['decision'];
export type StatusFilter = NonNullable<CallInput<'approvals.list'>['query']['status']>;

export interface QueueFilters {
  readonly status: StatusFilter;
  readonly lane: Lane | null;
  readonly kind: string | null;
  readonly mine: boolean;
  readonly q: string;
}

export const defaultFilters: QueueFilters = { status: 'pending', lane: null, kind: null, mine: false, q: '' };
/** The platform's largest page: fewer round trips while scrolling through tens of thousands of rows. */
export const PAGE_SIZE = 200;
/**
 * A new query's first page: more than any view shows (and than the grid's prefetch margin below it, so
 * it does not ask for the next page at once), but half the platform's work and the reply of a full page,
 * so each keystroke in the search shows its rows sooner. Scrolling goes on in pages of PAGE_SIZE.
 */
export const FIRST_PAGE_SIZE = 100;

export type Phase = 'idle' | 'loading' | 'ready' | 'error';

export interface DetailState {
  readonly id: string;
  readonly phase: Phase;
  readonly data: ApprovalDetail | null;
  readonly error: AppError | null;
}

export type DecisionState =
  | { readonly phase: 'idle' }
  | { readonly phase: 'deciding'; readonly requestId: string; readonly decision: Decision }
  | { readonly phase: 'done'; readonly requestId: string; readonly receipt: DecisionReceipt }
  | { readonly phase: 'failed'; readonly requestId: string; readonly error: AppError };

/** A write to one request from its detail, other than a decision, and how it went. */
export type RequestWriteAction = 'withdraw' | 'comment';
export type RequestWrite =
  | { readonly phase: 'idle' }
  | { readonly phase: 'working' | 'done'; readonly requestId: string; readonly action: RequestWriteAction }
  | {
      readonly phase: 'failed';
      readonly requestId: string;
      readonly action: RequestWriteAction;
      readonly error: AppError;
    };

export interface ApprovalsState extends OfflineAware {
  /** What the filter controls show. */
  readonly filters: QueueFilters;
  /** The rows loaded so far for the filters last answered; kept while a new query is on its way. */
  readonly rows: readonly QueueRow[];
  readonly nextCursor: string | null;
  readonly phase: Phase;
  readonly loadingMore: boolean;
  readonly error: AppError | null;
  /** Bumped each time `rows` is replaced by a new query's first page (the queue marks when it paints). */
  readonly queryVersion: number;
  /** Custom kinds met in this tenant, for the kind filter beside the built-in ones. */
  readonly kindsSeen: readonly string[];
  readonly selectedId: string | null;
  readonly detail: DetailState | null;
  readonly decision: DecisionState;
  readonly write: RequestWrite;
  /** Requests the open one reverses or is reversed by, by id: what their links say. */
  readonly linked: Readonly<Record<string, LinkedRequest>>;
  /** Requests whose result this window collected (the secret itself is never kept). */
  readonly resultsCollected: readonly string[];
  load(): Promise<void>;
  loadMore(): Promise<void>;
  retry(): Promise<void>;
  setFilters(change: Partial<QueueFilters>): Promise<void>;
  select(id: string | null): void;
  moveSelection(delta: number): void;
  openDetail(id: string): Promise<void>;
  closeDetail(): void;
  decide(requestId: string, decision: Decision, comment: string, totp?: string): Promise<void>;
  clearDecision(): void;
  /** The requester withdraws a pending request; true when it is withdrawn. */
  withdraw(requestId: string): Promise<boolean>;
  /** Adds a comment to the request's timeline; true when it is there. */
  comment(requestId: string, body: string): Promise<boolean>;
  clearWrite(): void;
  /**
   * Collects what the executed request produced for its requester, once. The secret is in the answer
   * only: the store records that it was collected, never what it was.
   */
  collectResult(requestId: string): Promise<Result<{ secret: string | null }>>;
  /** Reads one request again (it changed): its row, the open detail, and the queue if it is new. */
  refreshRequest(requestId: string): Promise<void>;
  dispose(): void;
}

const initial = {
  filters: defaultFilters,
  rows: [],
  nextCursor: null,
  phase: 'idle',
  loadingMore: false,
  error: null,
  offline: false,
  queryVersion: 0,
  kindsSeen: [],
  selectedId: null,
  detail: null,
  decision: { phase: 'idle' },
  write: { phase: 'idle' },
  linked: {},
  resultsCollected: [],
} satisfies Partial<ApprovalsState>;

function queryOf(
  filters: QueueFilters,
  limit: number,
  cursor?: string,
): CallInput<'approvals.list'>['query'] {
  const q = filters.q.trim();
  return {
    status: filters.status,
    limit,
    ...(filters.lane ? { lane: filters.lane } : {}),
    ...(filters.kind ? { kind: filters.kind } : {}),
    ...(filters.mine ? { mine: 'to-decide' as const } : {}),
    ...(q ? { q } : {}),
    ...(cursor ? { cursor } : {}),
  };
}

function mergeKinds(seen: readonly string[], rows: readonly QueueRow[]): readonly string[] {
  const custom = rows.map((r) => r.kind).filter((k) => k.startsWith('custom.') && !seen.includes(k));
  return custom.length === 0 ? seen : [...new Set([...seen, ...custom])].sort();
}

/** A list row carries no decisions or evidence; the decided request does, and they are dropped here. */
function asRow({ decisions: _d, evidence: _e, ...row }: ApprovalDetail['request']): QueueRow {
  return row;
}

const rowId = (row: QueueRow) => row.id;

/**
 * The tenant's approval queue and the request open in detail. Everything here is scoped to the session's
 * tenant: when its epoch moves (tenant or profile switch) the store forgets it all and starts over, and
 * any answer still on its way for the old tenant, or for a query since replaced, is dropped.
 */
export function createApprovalsStore(
  client: ContractClient,
  session: SessionStore,
  {
    pageSize = PAGE_SIZE,
    firstPageSize = Math.min(pageSize, FIRST_PAGE_SIZE),
  }: { pageSize?: number; firstPageSize?: number } = {},
) {
  const options: TenantScopedOptions<ApprovalsState> = {
    initial,
    tracksOffline: true,
    onSwitch: ({ current, scope }) => {
      if (scope) void current.load();
    },
  };
  const store = createTenantScopedStore(session, options, (set, get, tenant) => {
    const fetchFirstPage = async () => {
      const where = tenant.scope();
      if (!where) return;
      const query = tenant.startQuery();
      const { filters } = get();
      set({ phase: 'loading', nextCursor: null, loadingMore: false, error: null });
      const page = await query.settle(
        client.call('approvals.list', { ...where, query: queryOf(filters, firstPageSize) }),
      );
      if (!page) return;
      if (!page.ok) return set({ phase: get().rows.length > 0 ? 'ready' : 'error', error: page.error });
      set((s) => ({
        phase: 'ready',
        rows: page.value.requests,
        nextCursor: page.value.nextCursor,
        queryVersion: s.queryVersion + 1,
        kindsSeen: mergeKinds(s.kindsSeen, page.value.requests),
        selectedId: keptSelection(page.value.requests, rowId, s.selectedId),
      }));
    };

    /** The request as a write or a refresh answered it, in its row and in the open detail. */
    const showUpdated = (updated: ApprovalDetail['request']) =>
      set((s) => ({
        // The row stays where it is, even if it no longer matches the filter: it must not jump away.
        rows: s.rows.map((r) => (r.id === updated.id ? asRow(updated) : r)),
        detail:
          s.detail?.id === updated.id && s.detail.data
            ? { ...s.detail, data: { ...s.detail.data, request: updated } }
            : s.detail,
      }));

    const loadLinks = async (where: TenantScope, request: ApprovalDetail['request']) => {
      const asked = tenant.guardTenant();
      const found = await linkedRequests(client, where, request);
      if (asked.current && Object.keys(found).length > 0) set((s) => ({ linked: { ...s.linked, ...found } }));
    };

    const writeTo = async (
      requestId: string,
      action: RequestWriteAction,
      send: (where: TenantScope) => Promise<Result<{ request: ApprovalDetail['request'] }>>,
    ): Promise<boolean> => {
      const where = tenant.scope();
      if (!where || get().write.phase === 'working') return false;
      const asked = tenant.guardTenant();
      set({ write: { phase: 'working', requestId, action } });
      const written = await asked.settle(send(where));
      if (!written) return false;
      if (!written.ok) {
        set({ write: { phase: 'failed', requestId, action, error: written.error } });
        return false;
      }
      showUpdated(written.value.request);
      set({ write: { phase: 'done', requestId, action } });
      // The timeline gained the write: read it back.
      if (get().detail?.id === requestId) await get().openDetail(requestId);
      return true;
    };

    return {
      ...initial,

      load: fetchFirstPage,

      async loadMore() {
        const where = tenant.scope();
        const { phase, loadingMore, nextCursor, filters, error } = get();
        // After a failed page the user retries on purpose; scrolling must not hammer a platform that is down.
        if (!where || phase !== 'ready' || loadingMore || !nextCursor || error) return;
        const query = tenant.continueQuery();
        set({ loadingMore: true });
        const page = await query.settle(
          client.call('approvals.list', { ...where, query: queryOf(filters, pageSize, nextCursor) }),
        );
        if (!page) return;
        if (!page.ok) return set({ loadingMore: false, error: page.error });
        set((s) => ({
          loadingMore: false,
          rows: s.rows.concat(page.value.requests),
          nextCursor: page.value.nextCursor,
          kindsSeen: mergeKinds(s.kindsSeen, page.value.requests),
        }));
      },

      async retry() {
        const { rows, nextCursor, phase, detail } = get();
        set({ error: null });
        if (detail?.phase === 'error') void get().openDetail(detail.id);
        // A queue that answered once and failed while paging goes on from where it was.
        if (phase === 'ready' && rows.length > 0 && nextCursor) return get().loadMore();
        return fetchFirstPage();
      },

      async setFilters(change) {
        set((s) => ({ filters: { ...s.filters, ...change } }));
        await fetchFirstPage();
      },

      select(id) {
        set({ selectedId: id });
      },

      moveSelection(delta) {
        const { rows, selectedId } = get();
        const next = stepSelection(rows, rowId, selectedId, delta);
        if (next !== undefined) set({ selectedId: next });
      },

      async openDetail(id) {
        const where = tenant.scope();
        if (!where) return;
        const asked = tenant.guardTenant();
        const keep = get().detail;
        set({
          selectedId: id,
          detail: { id, phase: 'loading', data: keep?.id === id ? keep.data : null, error: null },
        });
        const got = await asked.settle(client.call('approvals.get', { ...where, requestId: id }));
        if (!got || get().detail?.id !== id) return;
        set((s) => ({
          detail: got.ok
            ? { id, phase: 'ready', data: got.value, error: null }
            : { id, phase: 'error', data: s.detail?.data ?? null, error: got.error },
        }));
        if (got.ok) await loadLinks(where, got.value.request);
      },

      closeDetail() {
        set({ detail: null });
      },

      async decide(requestId, decision, comment, totp) {
        const where = tenant.scope();
        if (!where || get().decision.phase === 'deciding') return;
        const asked = tenant.guardTenant();
        set({ decision: { phase: 'deciding', requestId, decision } });
        const decided = await asked.settle(
          client.call('approvals.decide', {
            ...where,
            requestId,
            decision,
            comment,
            ...(totp ? { totp } : {}),
          }),
        );
        if (!decided) return;
        if (!decided.ok) return set({ decision: { phase: 'failed', requestId, error: decided.error } });
        showUpdated(decided.value.request);
        set({ decision: { phase: 'done', requestId, receipt: decided.value } });
        // The timeline gained the decision (and perhaps the execution): read it back.
        if (get().detail?.id === requestId) await get().openDetail(requestId);
      },

      clearDecision() {
        set({ decision: { phase: 'idle' } });
      },

      withdraw: (requestId) =>
        writeTo(requestId, 'withdraw', (where) => client.call('approvals.withdraw', { ...where, requestId })),

      comment: (requestId, body) =>
        writeTo(requestId, 'comment', (where) =>
          client.call('approvals.comment', { ...where, requestId, body }),
        ),

      clearWrite() {
        set({ write: { phase: 'idle' } });
      },

      async collectResult(requestId) {
        const where = tenant.scope();
        if (!where) return fail('unauthenticated', 'Sign in to collect the result.');
        const asked = tenant.guardTenant();
        const got = await asked.settle(client.call('approvals.result', { ...where, requestId }));
        if (!got) return fail('conflict', 'The tenant changed; open the request again.');
        if (got.ok) set((s) => ({ resultsCollected: [...s.resultsCollected, requestId] }));
        return got;
      },

      async refreshRequest(requestId) {
        const where = tenant.scope();
        if (!where) return;
        const asked = tenant.guardTenant();
        const got = await asked.settle(client.call('approvals.get', { ...where, requestId }));
        if (!got?.ok) return;
        const { request } = got.value;
        const { rows, phase, detail } = get();
        showUpdated(request);
        if (detail?.id === requestId) {
          set({ detail: { id: requestId, phase: 'ready', data: got.value, error: null } });
          await loadLinks(where, request);
        } else if (
          detail &&
          (request.reverses === detail.id || detail.data?.request.reverses === requestId)
        ) {
          // A reversal of the open request was raised or moved on: its link and status change.
          await get().openDetail(detail.id);
        }
        // A request the queue does not show yet (just raised): the first page again, unless the person
        // has scrolled beyond it, where new rows arriving at the top would move what they are reading.
        if (!rows.some((r) => r.id === requestId) && phase === 'ready' && rows.length <= firstPageSize)
          await fetchFirstPage();
      },

      dispose() {
        tenant.dispose();
        stopChanges();
      },
    };
  });

  // Every window on the tenant hears of every approval write this console makes, its own included.
  const stopChanges = client.onEvent((name, payload) => {
    if (name !== 'approvals.changed') return;
    const changed = events['approvals.changed'].safeParse(payload);
    const where = tenantScopeOf(session);
    if (changed.success && where && sameTenant(where, changed.data))
      void store.getState().refreshRequest(changed.data.requestId);
  });

  return store;
}

export type ApprovalsStore = ReturnType<typeof createApprovalsStore>;
