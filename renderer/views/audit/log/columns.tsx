import type { GridColumn } from '../../../components/virtual-grid/virtual-grid';
import type { AuditEntry } from '../../../stores/audit-store';
import { actorLabel, resourceLabel, utcTime } from '../format';
import { Outcome } from './outcome';

/** The live log's columns, in order. */
export const logColumns: readonly GridColumn<AuditEntry>[] = [
  { header: 'Seq', className: 'audit-cell--seq', cell: (entry) => entry.seq },
  {
    header: 'Time (UTC)',
    className: 'audit-cell--time',
    cell: (entry) => <time dateTime={entry.ts}>{utcTime(entry.ts).replace(' UTC', '')}</time>,
  },
  {
    header: 'Actor',
    className: 'audit-cell--mono',
    cell: (entry) => actorLabel(entry.actor),
    title: (entry) => actorLabel(entry.actor),
  },
  { header: 'Action', className: 'audit-cell--action', cell: (entry) => entry.action },
  {
    header: 'Resource',
    className: 'audit-cell--mono',
    cell: (entry) => resourceLabel(entry.resource),
    title: (entry) => resourceLabel(entry.resource),
  },
  { header: 'Outcome', cell: (entry) => <Outcome outcome={entry.outcome} /> },
];
export const LOG_ROW_HEIGHT = 36;
export const LOG_HEADER_HEIGHT = 34;
export const entrySeq = (entry: AuditEntry) => entry.seq;
export const logRowDomId = (seq: number) => `audit-entry-${seq}`;
