// Selection in a paged list that keeps only its loaded rows: shared by the approval queue and the audit log.

/**
 * The row `delta` places from the selected one, held within the loaded rows (J/K, arrows, Page keys);
 * the first row when nothing is selected yet, or when the selected row is gone. Undefined with no rows.
 */
export function stepSelection<Row, Key>(
  rows: readonly Row[],
  keyOf: (row: Row) => Key,
  selected: Key | null,
  delta: number,
): Key | undefined {
  if (rows.length === 0) return undefined;
  const at = selected === null ? -1 : rows.findIndex((row) => keyOf(row) === selected);
  const next = at < 0 ? 0 : Math.min(rows.length - 1, Math.max(0, at + delta));
  const row = rows[next];
  return row === undefined ? undefined : keyOf(row);
}

/** After a new first page: the selection stays if its row came back, otherwise nothing is selected. */
export function keptSelection<Row, Key>(
  rows: readonly Row[],
  keyOf: (row: Row) => Key,
  selected: Key | null,
): Key | null {
  return selected !== null && rows.some((row) => keyOf(row) === selected) ? selected : null;
}
