/** The live log's columns, in order; the grid's header and every row use the same list. */
export const logColumns = ['Seq', 'Time (UTC)', 'Actor', 'Action', 'Resource', 'Outcome'] as const;
export const LOG_ROW_HEIGHT = 36;
export const LOG_HEADER_HEIGHT = 34;
export const logRowDomId = (seq: number) => `audit-entry-${seq}`;
