import type { Lane } from '../../shared/approvals/kinds';
import type { CallInput, CallOutput } from '../../shared/contract/contract';
import type { AppError } from '../../shared/result';
import type { ContractClient } from '../contract/client';
import type { OfflineAware } from './offline-flag';
import { keptSelection, stepSelection } from './row-selection';
import type { SessionStore } from './session-store';
import { createTenantScopedStore, type TenantScopedOptions } from './tenant-scoped';

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
  { pageSize = PAGE_SIZE }: { pageSize?: number } = {},
) {
  const options: TenantScopedOptions<ApprovalsState> = {
    initial,
    tracksOffline: true,
    onSwitch: ({ current, scope }) => {
      if (scope) void current.load();
    },
  };
  return createTenantScopedStore(session, options, (set, get, tenant) => {
    const fetchFirstPage = async () => {
      const where = tenant.scope();
      if (!where) return;
      const query = tenant.startQuery();
      const { filters } = get();
      set({ phase: 'loading', nextCursor: null, loadingMore: false, error: null });
      const page = await query.settle(
        client.call('approvals.list', { ...where, query: queryOf(filters, pageSize) }),
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
        const updated = decided.value.request;
        set((s) => ({
          decision: { phase: 'done', requestId, receipt: decided.value },
          // The row stays where it is, even if it no longer matches the filter: it must not jump away.
          rows: s.rows.map((r) => (r.id === requestId ? asRow(updated) : r)),
          detail:
            s.detail?.id === requestId && s.detail.data
              ? { ...s.detail, data: { ...s.detail.data, request: updated } }
              : s.detail,
        }));
        // The timeline gained the decision (and perhaps the execution): read it back.
        if (get().detail?.id === requestId) await get().openDetail(requestId);
      },

      clearDecision() {
        set({ decision: { phase: 'idle' } });
      },

      dispose: tenant.dispose,
    };
  });
}

export type ApprovalsStore = ReturnType<typeof createApprovalsStore>;
