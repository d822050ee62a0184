import type { CallInput, CallOutput } from '../../shared/contract/contract';
import type { AppError } from '../../shared/result';
import type { ContractClient } from '../contract/client';
import type { OfflineAware } from './offline-flag';
import { keptSelection, stepSelection } from './row-selection';
import type { SessionStore } from './session-store';
import { createTenantScopedStore, type TenantScopedOptions } from './tenant-scoped';

export type AuditEntry = CallOutput<'audit.entries'>['entries'][number];

/** What the filter form holds; empty means "any". Times are ISO instants (UTC), `to` exclusive. */
export interface AuditFilters {
  readonly actorId: string;
  readonly action: string;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly from: string;
  readonly to: string;
}

export const noFilters: AuditFilters = {
  actorId: '',
  action: '',
  resourceType: '',
  resourceId: '',
  from: '',
  to: '',
};
/** Entries carry their change and request; 100 keeps a page small while scrolling stays smooth. */
export const LOG_PAGE_SIZE = 100;

export type Phase = 'idle' | 'loading' | 'ready' | 'error';

export interface AuditLogState extends OfflineAware {
  readonly filters: AuditFilters;
  /** Newest first; kept while a new query is on its way, and when the platform goes away. */
  readonly entries: readonly AuditEntry[];
  /** The log's size when the first page was read (seq of the newest entry + 1). */
  readonly size: number | null;
  readonly nextBefore: number | null;
  readonly phase: Phase;
  readonly loadingMore: boolean;
  readonly error: AppError | null;
  readonly selectedSeq: number | null;
  /** The entry open in the detail panel; its own copy, so a new query does not take it away. */
  readonly detail: AuditEntry | null;
  load(): Promise<void>;
  loadMore(): Promise<void>;
  retry(): Promise<void>;
  setFilters(filters: AuditFilters): Promise<void>;
  select(seq: number | null): void;
  moveSelection(delta: number): void;
  openDetail(seq: number): void;
  closeDetail(): void;
  dispose(): void;
}

const initial = {
  filters: noFilters,
  entries: [],
  size: null,
  nextBefore: null,
  phase: 'idle',
  loadingMore: false,
  error: null,
  offline: false,
  selectedSeq: null,
  detail: null,
} satisfies Partial<AuditLogState>;

function queryOf(filters: AuditFilters, limit: number, before?: number): CallInput<'audit.entries'>['query'] {
  const query: CallInput<'audit.entries'>['query'] = { limit };
  for (const name of ['actorId', 'action', 'resourceType', 'resourceId', 'from', 'to'] as const) {
    const value = filters[name].trim();
    if (value) query[name] = value;
  }
  if (before !== undefined) query.before = before;
  return query;
}

const entrySeq = (entry: AuditEntry) => entry.seq;

/**
 * The tenant's live audit log, newest first, paged by `nextBefore` as the person scrolls. Scoped to the
 * session's tenant: when its epoch moves everything is dropped, and answers for the old tenant (or an
 * older query) are ignored.
 */
export function createAuditLogStore(
  client: ContractClient,
  session: SessionStore,
  { pageSize = LOG_PAGE_SIZE }: { pageSize?: number } = {},
) {
  const options: TenantScopedOptions<AuditLogState> = {
    initial,
    tracksOffline: true,
    // A log nobody has opened yet waits for its screen; one on show follows the person to the new tenant.
    onSwitch: ({ previous, current, scope }) => {
      if (previous.phase !== 'idle' && scope) void current.load();
    },
  };
  return createTenantScopedStore(session, options, (set, get, tenant) => {
    const fetchFirstPage = async () => {
      const where = tenant.scope();
      if (!where) return;
      const query = tenant.startQuery();
      set({ phase: 'loading', nextBefore: null, loadingMore: false, error: null });
      const page = await query.settle(
        client.call('audit.entries', { ...where, query: queryOf(get().filters, pageSize) }),
      );
      if (!page) return;
      if (!page.ok) return set({ phase: get().entries.length > 0 ? 'ready' : 'error', error: page.error });
      const { entries, size, nextBefore } = page.value;
      set((s) => ({
        phase: 'ready',
        entries,
        size,
        nextBefore,
        selectedSeq: keptSelection(entries, entrySeq, s.selectedSeq),
      }));
    };

    return {
      ...initial,

      load: fetchFirstPage,

      async loadMore() {
        const where = tenant.scope();
        const { phase, loadingMore, nextBefore, filters, error } = get();
        // After a failed page only Retry asks again: scrolling must not hammer a platform that is down.
        if (!where || phase !== 'ready' || loadingMore || nextBefore === null || error) return;
        const query = tenant.continueQuery();
        set({ loadingMore: true });
        const page = await query.settle(
          client.call('audit.entries', { ...where, query: queryOf(filters, pageSize, nextBefore) }),
        );
        if (!page) return;
        if (!page.ok) return set({ loadingMore: false, error: page.error });
        set((s) => ({
          loadingMore: false,
          entries: s.entries.concat(page.value.entries),
          nextBefore: page.value.nextBefore,
        }));
      },

      async retry() {
        const { entries, nextBefore, phase } = get();
        set({ error: null });
        if (phase === 'ready' && entries.length > 0 && nextBefore !== null) return get().loadMore();
        return fetchFirstPage();
      },

      async setFilters(filters) {
        set({ filters });
        await fetchFirstPage();
      },

      select(seq) {
        set({ selectedSeq: seq });
      },

      moveSelection(delta) {
        const { entries, selectedSeq } = get();
        const next = stepSelection(entries, entrySeq, selectedSeq, delta);
        if (next !== undefined) set({ selectedSeq: next });
      },

      openDetail(seq) {
        const entry = get().entries.find((e) => e.seq === seq);
        if (entry) set({ selectedSeq: seq, detail: entry });
      },

      closeDetail() {
        set({ detail: null });
      },

      dispose: tenant.dispose,
    };
  });
}

export type AuditLogStore = ReturnType<typeof createAuditLogStore>;
