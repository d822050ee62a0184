import { useLayoutEffect, useRef } from 'react';

/** Performance mark names a grid sets for a benchmark to read (bench/ui.ts reads the approval queue's). */
export interface PaintMarks {
  /** Set once per grid, after the frame that first shows rows. */
  readonly firstRows: string;
  /** Set after the frame that shows a new query's rows, with `{ version }` as its detail. */
  readonly queryRows: string;
}

/**
 * Marked after the frame that shows the rows, so a mark stands for "painted", not merely "rendered".
 * Harmless where nobody reads them.
 */
export function markAfterPaint(name: string, detail?: unknown): void {
  requestAnimationFrame(() => setTimeout(() => performance.mark(name, { detail })));
}

/** Sets the grid's marks: `rowCount` is how many rows it shows, `queryVersion` which query's they are. */
export function usePaintMarks(marks: PaintMarks | undefined, rowCount: number, queryVersion: number): void {
  const painted = useRef(false);
  useLayoutEffect(() => {
    if (!marks || rowCount === 0 || painted.current) return;
    painted.current = true;
    markAfterPaint(marks.firstRows);
  }, [marks, rowCount]);
  useLayoutEffect(() => {
    if (marks && queryVersion > 0) markAfterPaint(marks.queryRows, { version: queryVersion });
  }, [marks, queryVersion]);
}
