import type { GridColumn } from '../../../components/virtual-grid/virtual-grid';
import type { AuditEntry } from '../../../stores/audit-store';
import { actorText, type NameOf, resourceText, utcTime } from '../format';
import { Outcome } from './outcome';

/**
 * The live log's columns, in order. Actors and resources show by name, with the id in the tooltip (a row
 * opens to the entry, where the id is a click away): the grid keeps the focus, so a cell holds no button.
 */
export const logColumns: readonly GridColumn<AuditEntry, NameOf>[] = [
  { header: 'Seq', className: 'audit-cell--seq', cell: (entry) => entry.seq },
  {
    header: 'Time (UTC)',
    className: 'audit-cell--time',
    cell: (entry) => <time dateTime={entry.ts}>{utcTime(entry.ts).replace(' UTC', '')}</time>,
  },
  {
    header: 'Actor',
    className: 'audit-cell--name',
    cell: (entry, nameOf) => <Named text={actorText(entry.actor, nameOf)} id={entry.actor.id} />,
  },
  { header: 'Action', className: 'audit-cell--action', cell: (entry) => entry.action },
  {
    header: 'Resource',
    className: 'audit-cell--name',
    cell: (entry, nameOf) => <Named text={resourceText(entry.resource, nameOf)} id={entry.resource.id} />,
  },
  { header: 'Outcome', cell: (entry) => <Outcome outcome={entry.outcome} /> },
];
function Named({ text, id }: { text: string; id: string }) {
  return <span title={text.includes(id) ? text : `${text} · ${id}`}>{text}</span>;
}

export const LOG_ROW_HEIGHT = 36;
export const LOG_HEADER_HEIGHT = 34;
export const entrySeq = (entry: AuditEntry) => entry.seq;
export const logRowDomId = (seq: number) => `audit-entry-${seq}`;
