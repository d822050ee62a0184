// biome-ignore-all lint/a11y/useSemanticElements: a virtualized table cannot be a <table> (rows are absolutely positioned), so it carries the ARIA grid roles itself
// biome-ignore-all lint/a11y/useFocusableInteractive: the grid holds the focus and points at the selected row with aria-activedescendant (the ARIA grid pattern)
import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, type MouseEvent, type RefObject, useCallback, useEffect } from 'react';
import type { AuditEntry } from '../../../stores/audit-store';
import { LOG_HEADER_HEIGHT, LOG_ROW_HEIGHT, logColumns, logRowDomId } from './columns';
import { LogRow } from './log-row';

/** Ask for the next page while this many loaded entries are still below the view. */
const PREFETCH_ROWS = 40;

interface LogGridProps {
  readonly entries: readonly AuditEntry[];
  readonly hasMore: boolean;
  readonly loadingMore: boolean;
  readonly busy: boolean;
  readonly selectedSeq: number | null;
  readonly openSeq: number | null;
  readonly gridRef: RefObject<HTMLDivElement | null>;
  onSelect(seq: number): void;
  onMove(delta: number): void;
  onOpen(seq: number): void;
  /** Escape from the list closes the entry open beside it. */
  onEscape(): void;
  loadMore(): void;
}

/**
 * The log as an ARIA grid, only the visible rows in the DOM. The grid holds the focus and points at the
 * selected row with aria-activedescendant; arrows, Page keys, Home and End move, Enter opens. No letter
 * keys: those belong to the approvals screen.
 */
export function LogGrid(props: LogGridProps) {
  const { entries, hasMore, loadingMore, selectedSeq, gridRef, onOpen, onMove, onSelect } = props;
  const count = entries.length + (hasMore ? 1 : 0);
  // A key function that changes on every render makes the virtualizer measure every row again.
  const getItemKey = useCallback((index: number) => entries[index]?.seq ?? 'loading', [entries]);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => gridRef.current,
    estimateSize: () => LOG_ROW_HEIGHT,
    overscan: 12,
    scrollMargin: LOG_HEADER_HEIGHT,
    scrollPaddingStart: LOG_HEADER_HEIGHT,
    getItemKey,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? -1;
  const selectedIndex = selectedSeq === null ? -1 : entries.findIndex((e) => e.seq === selectedSeq);

  useEffect(() => {
    if (hasMore && lastIndex >= entries.length - PREFETCH_ROWS) props.loadMore();
  }, [hasMore, lastIndex, entries.length, props.loadMore]);

  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10 };
    const delta = step[event.key];
    if (delta !== undefined) {
      event.preventDefault();
      onMove(delta);
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      const entry = event.key === 'Home' ? entries[0] : entries[entries.length - 1];
      if (entry) onSelect(entry.seq);
    } else if (event.key === 'Enter' && selectedSeq !== null) {
      event.preventDefault();
      onOpen(selectedSeq);
    } else if (event.key === 'Escape' && props.openSeq !== null) {
      event.preventDefault();
      props.onEscape();
    }
  };
  const onClick = (event: MouseEvent<HTMLDivElement>) => {
    const row = (event.target as Element).closest<HTMLElement>('[role="row"][data-seq]');
    if (row?.dataset.seq) onOpen(Number(row.dataset.seq));
  };
  const shown = items.some((i) => i.index === selectedIndex);

  return (
    <div
      ref={gridRef}
      role="grid"
      aria-label="Audit log entries, newest first"
      aria-rowcount={hasMore ? -1 : entries.length + 1}
      aria-colcount={logColumns.length}
      aria-busy={props.busy}
      aria-activedescendant={shown && selectedSeq !== null ? logRowDomId(selectedSeq) : undefined}
      tabIndex={0}
      className="audit-grid"
      onKeyDown={onKeyDown}
      onClick={onClick}
    >
      <div role="rowgroup" className="audit-grid__head">
        <div role="row" aria-rowindex={1} className="audit-row audit-row--head">
          {logColumns.map((name) => (
            <div key={name} role="columnheader" className="audit-cell">
              {name}
            </div>
          ))}
        </div>
      </div>
      <div role="rowgroup" className="audit-grid__body" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const entry = entries[item.index];
          const top = item.start - LOG_HEADER_HEIGHT;
          if (!entry)
            return (
              <div
                key="loading"
                role="row"
                aria-rowindex={item.index + 2}
                className="audit-row audit-row--loading"
                style={{ transform: `translateY(${top}px)` }}
              >
                <div role="gridcell" aria-colspan={logColumns.length} className="audit-cell">
                  {loadingMore ? 'Loading older entries…' : 'Older entries below'}
                </div>
              </div>
            );
          return (
            <LogRow
              key={entry.seq}
              entry={entry}
              rowIndex={item.index + 2}
              selected={entry.seq === selectedSeq}
              open={entry.seq === props.openSeq}
              top={top}
            />
          );
        })}
      </div>
    </div>
  );
}
