// biome-ignore-all lint/a11y/useSemanticElements: a virtualized table cannot be a <table> (rows are absolutely positioned), so it carries the ARIA grid roles itself
// biome-ignore-all lint/a11y/useFocusableInteractive: the grid holds the focus and points at the selected row with aria-activedescendant (the ARIA grid pattern)
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  type KeyboardEvent,
  type MouseEvent,
  type RefObject,
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
} from 'react';
import type { QueueRow as Row } from '../../../stores/approvals-store';
import { columns, ROW_HEIGHT } from './columns';
import { markAfterPaint, marks } from './paint-marks';
import { QueueRow, rowDomId } from './queue-row';

const HEADER_HEIGHT = 36;
/** Ask for the next page while this many loaded rows are still below the view. */
const PREFETCH_ROWS = 60;

interface QueueGridProps {
  readonly rows: readonly Row[];
  readonly hasMore: boolean;
  readonly loadingMore: boolean;
  readonly busy: boolean;
  readonly queryVersion: number;
  readonly selectedId: string | null;
  readonly gridRef: RefObject<HTMLDivElement | null>;
  readonly now: number;
  onSelect(id: string): void;
  onMove(delta: number): void;
  onOpen(id: string): void;
  loadMore(): void;
}

/**
 * The queue as an ARIA grid: a header row and one row per request, only the visible ones in the DOM.
 * The grid itself holds the focus and points at the selected row with aria-activedescendant, so the
 * selection survives rows scrolling out of the DOM. The total is unknown while pages remain
 * (aria-rowcount -1).
 */
export function QueueGrid(props: QueueGridProps) {
  const { rows, hasMore, loadingMore, selectedId, gridRef, onOpen, onMove, onSelect } = props;
  const count = rows.length + (hasMore ? 1 : 0);
  // A new key function makes the virtualizer lay out every row again: keep it while the rows stay.
  const getItemKey = useCallback((index: number) => rows[index]?.id ?? 'loading', [rows]);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => gridRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    scrollMargin: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
    getItemKey,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? -1;
  const selectedIndex = selectedId ? rows.findIndex((r) => r.id === selectedId) : -1;

  useEffect(() => {
    if (hasMore && lastIndex >= rows.length - PREFETCH_ROWS) props.loadMore();
  }, [hasMore, lastIndex, rows.length, props.loadMore]);

  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  const painted = useRef(false);
  useLayoutEffect(() => {
    if (rows.length === 0 || painted.current) return;
    painted.current = true;
    markAfterPaint(marks.firstRows);
  }, [rows.length]);
  useLayoutEffect(() => {
    if (props.queryVersion > 0) markAfterPaint(marks.queryRows, { version: props.queryVersion });
  }, [props.queryVersion]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10 };
    const delta = step[event.key];
    if (delta !== undefined) {
      event.preventDefault();
      onMove(delta);
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      const row = event.key === 'Home' ? rows[0] : rows[rows.length - 1];
      if (row) onSelect(row.id);
    } else if (event.key === 'Enter' && selectedId) {
      event.preventDefault();
      onOpen(selectedId);
    }
  };
  const onClick = (event: MouseEvent<HTMLDivElement>) => {
    const row = (event.target as Element).closest<HTMLElement>('[role="row"][data-id]');
    if (row?.dataset.id) onOpen(row.dataset.id);
  };
  const shown = items.some((i) => i.index === selectedIndex);

  return (
    <div
      ref={gridRef}
      role="grid"
      aria-label="Approval requests"
      aria-rowcount={hasMore ? -1 : rows.length + 1}
      aria-colcount={columns.length}
      aria-busy={props.busy}
      aria-activedescendant={shown && selectedId ? rowDomId(selectedId) : undefined}
      tabIndex={0}
      className="queue__grid"
      onKeyDown={onKeyDown}
      onClick={onClick}
    >
      <div role="rowgroup" className="queue__head">
        <div role="row" aria-rowindex={1} className="queue__row queue__row--head">
          {columns.map((name) => (
            <div key={name} role="columnheader" className="queue__cell">
              {name}
            </div>
          ))}
        </div>
      </div>
      <div role="rowgroup" className="queue__body" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const row = rows[item.index];
          const top = item.start - HEADER_HEIGHT;
          if (!row)
            return (
              <div
                key="loading"
                role="row"
                aria-rowindex={item.index + 2}
                className="queue__row queue__row--loading"
                style={{ transform: `translateY(${top}px)` }}
              >
                <div role="gridcell" aria-colspan={columns.length} className="queue__cell">
                  {loadingMore ? 'Loading more requests…' : 'More requests below'}
                </div>
              </div>
            );
          return (
            <QueueRow
              key={row.id}
              row={row}
              rowIndex={item.index + 2}
              selected={row.id === selectedId}
              top={top}
              now={props.now}
            />
          );
        })}
      </div>
    </div>
  );
}
