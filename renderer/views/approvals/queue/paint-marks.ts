/**
 * Performance marks the benchmark (bench/ui.ts) reads: set after the frame that shows the rows, so they
 * stand for "painted", not merely "rendered". Harmless where nobody reads them.
 */
export const marks = {
  firstRows: 'approvals:first-rows',
  queryRows: 'approvals:query-rows',
} as const;

export function markAfterPaint(name: string, detail?: unknown): void {
  requestAnimationFrame(() => setTimeout(() => performance.mark(name, { detail })));
}
