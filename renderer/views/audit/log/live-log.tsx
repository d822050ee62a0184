import './log.css';
import { type ReactNode, useEffect, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Notice } from '../../../components/notice';
import { noFilters } from '../../../stores/audit-store';
import { useAuditLog, useAuditStores } from '../use-audit-stores';
import { useNameOf } from '../use-name-of';
import { EntryDetail } from './entry-detail';
import { LogFilters } from './log-filters';
import { LogGrid } from './log-grid';

/** The tenant's live log: filters, the virtualized list (or the state standing in for it), the detail. */
export function LiveLog() {
  const store = useAuditStores().log;
  const s = useAuditLog(
    useShallow((a) => ({
      filters: a.filters,
      entries: a.entries,
      size: a.size,
      phase: a.phase,
      hasMore: a.nextBefore !== null,
      loadingMore: a.loadingMore,
      error: a.error,
      offline: a.offline,
      selectedSeq: a.selectedSeq,
      detail: a.detail,
    })),
  );
  const actions = store.getState();
  const nameOf = useNameOf();
  const gridRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (store.getState().phase === 'idle') void store.getState().load();
  }, [store]);

  const closeDetail = () => {
    actions.closeDetail();
    gridRef.current?.focus();
  };
  const filtered = JSON.stringify(s.filters) !== JSON.stringify(noFilters);
  const retry = { label: 'Retry', run: () => void actions.retry() };

  let body: ReactNode;
  if (s.entries.length > 0)
    body = (
      <LogGrid
        entries={s.entries}
        nameOf={nameOf}
        hasMore={s.hasMore}
        loadingMore={s.loadingMore}
        busy={s.phase === 'loading'}
        selectedSeq={s.selectedSeq}
        openSeq={s.detail?.seq ?? null}
        gridRef={gridRef}
        onSelect={actions.select}
        onMove={actions.moveSelection}
        onOpen={actions.openDetail}
        onEscape={closeDetail}
        loadMore={actions.loadMore}
      />
    );
  else if (s.phase === 'idle' || s.phase === 'loading')
    body = <Notice tone="info">Loading the audit log…</Notice>;
  else if (s.phase === 'error' && !s.offline)
    body = (
      <Notice tone="error" action={retry}>
        The audit log could not be loaded: {s.error?.message}
      </Notice>
    );
  else if (s.phase === 'ready')
    body = filtered ? (
      <Notice tone="info" action={{ label: 'Clear filters', run: () => void actions.setFilters(noFilters) }}>
        No entries match these filters.
      </Notice>
    ) : (
      <Notice tone="info">This log has no entries yet.</Notice>
    );

  return (
    <section className="audit-log" aria-label="Live log">
      <LogFilters filters={s.filters} onApply={(f) => void actions.setFilters(f)} />
      {s.offline && (
        <Notice tone="offline" action={retry}>
          <strong>Offline.</strong> The platform cannot be reached; the entries already loaded stay on screen.
        </Notice>
      )}
      {s.error && !s.offline && s.entries.length > 0 && (
        <Notice tone="error" action={retry}>
          {s.error.message}
        </Notice>
      )}
      <p className="audit-log__count" aria-live="polite">
        {countText(s.phase, s.entries.length, s.hasMore, s.size, filtered)}
      </p>
      <div className={`audit-log__body${s.detail ? ' audit-log__body--split' : ''}`}>
        {body}
        {s.detail && <EntryDetail entry={s.detail} onClose={closeDetail} />}
      </div>
    </section>
  );
}

function countText(phase: string, loaded: number, hasMore: boolean, size: number | null, filtered: boolean) {
  if (phase === 'loading' && loaded > 0) return 'Updating…';
  if (loaded === 0) return '';
  const of = size === null ? '' : ` of a log of ${size.toLocaleString('en')} entries`;
  const noun = loaded === 1 ? 'entry' : 'entries';
  const what = filtered ? `matching ${noun}` : noun;
  return `${loaded.toLocaleString('en')} ${what} loaded${of}${hasMore ? '; older ones load as you scroll' : ''}.`;
}
