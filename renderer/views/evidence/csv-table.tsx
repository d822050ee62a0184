// biome-ignore-all lint/a11y/useSemanticElements: a virtualized table cannot be a <table> (its rows are absolutely positioned), so it carries the ARIA table roles itself
// biome-ignore-all lint/a11y/useFocusableInteractive: rows and headers of a static table are read, not operated; the scrolling region holds the focus
// biome-ignore-all lint/a11y/noNoninteractiveTabindex: a scrolling region must take the focus so the keyboard can scroll it (WCAG 2.1.1)
import { useVirtualizer } from '@tanstack/react-virtual';
import { type CSSProperties, useMemo, useRef } from 'react';
import { MAX_CSV_ROWS, parseCsv } from './csv';

const ROW_HEIGHT = 28;
/** Columns past this many are left to the download: a preview is for reading, not a spreadsheet. */
const MAX_COLUMNS = 40;

/**
 * A CSV file as a table: the first row as its header, every cell as text. Only the rows in view are in
 * the DOM (@tanstack/react-virtual), so a file of a hundred thousand rows scrolls like a short one; the
 * table says how many rows it has, and each row its number, for screen readers.
 */
export function CsvTable({ text, name }: { readonly text: string; readonly name: string }) {
  const parsed = useMemo(() => parseCsv(text), [text]);
  const scroller = useRef<HTMLDivElement>(null);
  const [header = [], ...body] = parsed.rows;
  const columns = Math.min(
    MAX_COLUMNS,
    Math.max(header.length, ...body.slice(0, 200).map((r) => r.length), 1),
  );
  const virtualizer = useVirtualizer({
    count: body.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const grid = { '--csv-columns': columns } as CSSProperties;
  const cells = (row: readonly string[]) => Array.from({ length: columns }, (_, c) => row[c] ?? '');
  return (
    <div className="csv-view">
      <p className="hint">
        {body.length.toLocaleString()} row{body.length === 1 ? '' : 's'} and {columns} column
        {columns === 1 ? '' : 's'}
        {parsed.truncated ? `; only the first ${MAX_CSV_ROWS.toLocaleString()} rows are shown` : ''}.
      </p>
      <div
        ref={scroller}
        className="csv-view__scroller"
        role="table"
        aria-label={`Contents of ${name}`}
        aria-rowcount={body.length + 1}
        // The region scrolls by keyboard too.
        tabIndex={0}
        style={grid}
      >
        <div role="rowgroup" className="csv-view__head">
          <div role="row" aria-rowindex={1} className="csv-view__row">
            {cells(header).map((cell, c) => (
              <div role="columnheader" key={`h${c.toString()}`} className="csv-view__cell" title={cell}>
                {cell}
              </div>
            ))}
          </div>
        </div>
        <div role="rowgroup" className="csv-view__body" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => (
            <div
              role="row"
              key={item.key}
              aria-rowindex={item.index + 2}
              className="csv-view__row"
              style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
            >
              {cells(body[item.index] ?? []).map((cell, c) => (
                <div role="cell" key={`c${c.toString()}`} className="csv-view__cell" title={cell}>
                  {cell}
                </div>
              ))}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
