import { type ReactNode, type RefObject, useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Notice } from '../../../components/notice';
import { defaultFilters } from '../../../stores/approvals-store';
import { useNamesFor } from '../names';
import { useApprovals, useApprovalsStore } from '../use-approvals';
import { useNow } from '../use-now';
import { QueueFilters } from './queue-filters';
import { QueueGrid } from './queue-grid';

interface ApprovalQueueProps {
  readonly searchRef: RefObject<HTMLInputElement | null>;
  readonly gridRef: RefObject<HTMLDivElement | null>;
}

/** The tenant's queue: filters, then the grid, or the state that stands in for it. */
export function ApprovalQueue({ searchRef, gridRef }: ApprovalQueueProps) {
  const store = useApprovalsStore();
  const s = useApprovals(
    useShallow((a) => ({
      filters: a.filters,
      rows: a.rows,
      phase: a.phase,
      hasMore: a.nextCursor !== null,
      loadingMore: a.loadingMore,
      error: a.error,
      offline: a.offline,
      queryVersion: a.queryVersion,
      kindsSeen: a.kindsSeen,
      selectedId: a.selectedId,
    })),
  );
  const actions = store.getState();
  const now = useNow();
  useNamesFor(s.rows.map((r) => r.requester.id));

  // Coming back from a request: the grid has the focus again, on the row that was open.
  useEffect(() => {
    if (store.getState().selectedId) gridRef.current?.focus();
  }, [store, gridRef]);

  const filtered = JSON.stringify(s.filters) !== JSON.stringify(defaultFilters);
  const clear = { label: 'Clear filters', run: () => void actions.setFilters(defaultFilters) };
  const retry = { label: 'Retry', run: () => void actions.retry() };

  let body: ReactNode;
  if (s.rows.length > 0)
    body = (
      <QueueGrid
        rows={s.rows}
        hasMore={s.hasMore}
        loadingMore={s.loadingMore}
        busy={s.phase === 'loading'}
        queryVersion={s.queryVersion}
        selectedId={s.selectedId}
        gridRef={gridRef}
        now={now}
        onSelect={actions.select}
        onMove={actions.moveSelection}
        onOpen={(id) => void actions.openDetail(id)}
        loadMore={actions.loadMore}
      />
    );
  else if (s.phase === 'idle' || s.phase === 'loading')
    body = <Notice tone="info">Loading approval requests…</Notice>;
  else if (s.phase === 'error' && s.error?.code === 'forbidden')
    body = <Notice tone="error">This profile may not read approval requests here: {s.error.message}</Notice>;
  else if (s.phase === 'error' && !s.offline)
    body = (
      <Notice tone="error" action={retry}>
        The queue could not be loaded: {s.error?.message}
      </Notice>
    );
  else if (s.phase === 'ready')
    body = filtered ? (
      <Notice tone="info" action={clear}>
        No requests match these filters.
      </Notice>
    ) : (
      <Notice tone="info">Nothing is waiting for a decision here.</Notice>
    );

  return (
    <section className="queue" aria-label="Approval queue">
      <QueueFilters
        filters={s.filters}
        kindsSeen={s.kindsSeen}
        searchRef={searchRef}
        onChange={(change) => void actions.setFilters(change)}
        onToResults={() => {
          if (!store.getState().selectedId) actions.moveSelection(0);
          gridRef.current?.focus();
        }}
      />
      {s.offline && (
        <Notice tone="offline" action={retry}>
          <strong>Offline.</strong> The platform cannot be reached; what was already loaded stays on screen.
        </Notice>
      )}
      {s.error && !s.offline && s.rows.length > 0 && (
        <Notice tone="error" action={retry}>
          {s.error.message}
        </Notice>
      )}
      <p className="queue__count" aria-live="polite">
        {s.phase === 'loading' && s.rows.length > 0
          ? 'Updating…'
          : s.rows.length > 0
            ? `${s.rows.length.toLocaleString()} request${s.rows.length === 1 ? '' : 's'} loaded${s.hasMore ? ', more load as you scroll' : ''}`
            : ''}
      </p>
      {body}
    </section>
  );
}
