// biome-ignore-all lint/a11y/useSemanticElements: a virtualized table cannot be a <table> (rows are absolutely positioned), so it carries the ARIA grid roles itself
// biome-ignore-all lint/a11y/useFocusableInteractive: the grid holds the focus and points at the selected row with aria-activedescendant (the ARIA grid pattern)
import './virtual-grid.css';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  type CSSProperties,
  type KeyboardEvent,
  type MouseEvent,
  type RefObject,
  useCallback,
  useEffect,
} from 'react';
import { cellClass, type GridColumn, GridRow } from './grid-row';
import { type PaintMarks, usePaintMarks } from './paint-marks';

export type { GridColumn } from './grid-row';
export type { PaintMarks } from './paint-marks';

/** Keys that move the selection, and by how many rows. */
const steps: Readonly<Record<string, number>> = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10 };

export interface VirtualGridProps<Row, Key extends string | number, Context = undefined> {
  /** The grid's accessible name. */
  readonly label: string;
  /** The screen's own class, which sets `--grid-columns` (and may set the fonts) in its stylesheet. */
  readonly className: string;
  readonly columns: readonly GridColumn<Row, Context>[];
  /** Handed to every cell; rows render again when it changes. */
  readonly context?: Context;
  /** The rows loaded so far; more come through `loadMore` while `hasMore`. */
  readonly rows: readonly Row[];
  /** A row's stable key: the virtualizer's item key and the selection's value. */
  readonly rowKey: (row: Row) => Key;
  /** The row element's id, which aria-activedescendant names. */
  readonly rowDomId: (key: Key) => string;
  /** The data attribute that carries each row's key, for tests and tools that find a row by it. */
  readonly keyAttribute: `data-${string}`;
  /** Fixed heights in px: the virtualizer never measures, so scrolling stays cheap. */
  readonly rowHeight: number;
  readonly headerHeight: number;
  readonly overscan: number;
  /** Ask for the next page while this many loaded rows are still below the view. */
  readonly prefetchRows: number;
  readonly hasMore: boolean;
  readonly loadingMore: boolean;
  /** A new query is on its way; the rows on show are the previous one's. */
  readonly busy: boolean;
  /** The last row's text while the next page loads, and while it waits below. */
  readonly moreRowsText: { readonly loading: string; readonly waiting: string };
  readonly selectedKey: Key | null;
  /** Classes a row adds to its own (the one open beside the grid, say). */
  readonly rowClassName?: (row: Row) => string | undefined;
  readonly gridRef: RefObject<HTMLDivElement | null>;
  readonly paintMarks?: PaintMarks;
  /** Bumped each time `rows` is replaced by a new query's first page; 0 before the first. */
  readonly queryVersion?: number;
  onSelect(key: Key): void;
  onMove(delta: number): void;
  onOpen(key: Key): void;
  /** Escape in the grid; left to the page when absent. */
  onEscape?(): void;
  loadMore(): void;
}

/**
 * A list as an ARIA grid: a header row and one row per item, only the visible ones in the DOM. The grid
 * holds the focus and points at the selected row with aria-activedescendant, so the selection survives
 * rows scrolling out of the DOM. Arrows and Page keys move, Home and End go to the ends, Enter opens.
 * The total is unknown while pages remain (aria-rowcount -1).
 */
export function VirtualGrid<Row, Key extends string | number, Context = undefined>(
  props: VirtualGridProps<Row, Key, Context>,
) {
  const { rows, rowKey, hasMore, selectedKey, gridRef, headerHeight, onOpen, onMove, onSelect } = props;
  const count = rows.length + (hasMore ? 1 : 0);
  // A new key function makes the virtualizer lay out every row again: keep it while the rows stay.
  const getItemKey = useCallback(
    (index: number) => {
      const row = rows[index];
      return row === undefined ? 'loading' : rowKey(row);
    },
    [rows, rowKey],
  );
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => gridRef.current,
    estimateSize: () => props.rowHeight,
    overscan: props.overscan,
    scrollMargin: headerHeight,
    scrollPaddingStart: headerHeight,
    getItemKey,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? -1;
  const selectedIndex = selectedKey === null ? -1 : rows.findIndex((row) => rowKey(row) === selectedKey);

  useEffect(() => {
    if (hasMore && lastIndex >= rows.length - props.prefetchRows) props.loadMore();
  }, [hasMore, lastIndex, rows.length, props.prefetchRows, props.loadMore]);

  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  usePaintMarks(props.paintMarks, rows.length, props.queryVersion ?? 0);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const delta = steps[event.key];
    if (delta !== undefined) {
      event.preventDefault();
      onMove(delta);
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      const row = event.key === 'Home' ? rows[0] : rows[rows.length - 1];
      if (row !== undefined) onSelect(rowKey(row));
    } else if (event.key === 'Enter' && selectedKey !== null) {
      event.preventDefault();
      onOpen(selectedKey);
    } else if (event.key === 'Escape' && props.onEscape) {
      event.preventDefault();
      props.onEscape();
    }
  };
  // One listener for every row: a row's place in the grid says which item it shows (the header is row 1).
  const onClick = (event: MouseEvent<HTMLDivElement>) => {
    const target = (event.target as Element).closest<HTMLElement>('[role="row"][aria-rowindex]');
    const row = rows[Number(target?.getAttribute('aria-rowindex')) - 2];
    if (row !== undefined) onOpen(rowKey(row));
  };
  const shown = items.some((item) => item.index === selectedIndex);
  const heights = {
    '--grid-row-height': `${props.rowHeight}px`,
    '--grid-header-height': `${headerHeight}px`,
  } as CSSProperties;

  return (
    <div
      ref={gridRef}
      role="grid"
      aria-label={props.label}
      aria-rowcount={hasMore ? -1 : rows.length + 1}
      aria-colcount={props.columns.length}
      aria-busy={props.busy}
      aria-activedescendant={shown && selectedKey !== null ? props.rowDomId(selectedKey) : undefined}
      tabIndex={0}
      className={`virtual-grid ${props.className}`}
      style={heights}
      onKeyDown={onKeyDown}
      onClick={onClick}
    >
      <div role="rowgroup" className="virtual-grid__head">
        <div role="row" aria-rowindex={1} className="virtual-grid__row virtual-grid__row--head">
          {props.columns.map((column) => (
            <div key={column.header} role="columnheader" className={cellClass(undefined)}>
              {column.header}
            </div>
          ))}
        </div>
      </div>
      <div role="rowgroup" className="virtual-grid__body" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const row = rows[item.index];
          const top = item.start - headerHeight;
          if (row === undefined)
            return (
              <div
                key="loading"
                role="row"
                aria-rowindex={item.index + 2}
                className="virtual-grid__row virtual-grid__row--loading"
                style={{ transform: `translateY(${top}px)` }}
              >
                <div role="gridcell" aria-colspan={props.columns.length} className={cellClass(undefined)}>
                  {props.loadingMore ? props.moreRowsText.loading : props.moreRowsText.waiting}
                </div>
              </div>
            );
          const key = rowKey(row);
          return (
            <GridRow
              key={key}
              row={row}
              columns={props.columns}
              context={props.context as Context}
              domId={props.rowDomId(key)}
              keyAttribute={props.keyAttribute}
              rowKey={key}
              rowIndex={item.index + 2}
              selected={key === selectedKey}
              className={props.rowClassName?.(row)}
              top={top}
            />
          );
        })}
      </div>
    </div>
  );
}
