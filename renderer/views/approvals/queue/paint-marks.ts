import type { PaintMarks } from '../../../components/virtual-grid/virtual-grid';

/**
 * The queue's performance marks, which the benchmark (bench/ui.ts) reads: set after the frame that shows
 * the rows, so they stand for "painted", not merely "rendered".
 */
export const marks: PaintMarks = {
  firstRows: 'approvals:first-rows',
  queryRows: 'approvals:query-rows',
};
