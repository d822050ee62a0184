import type { GridColumn } from '../../../components/virtual-grid/virtual-grid';
import type { QueueRow } from '../../../stores/approvals-store';
import { ageOf, kindLabel } from '../format';
import { ApprovalCount, LaneBadge, StatusText } from '../lane-badge';
import { RequesterText } from '../names';

/** The queue's columns, in order; the grid's context is the clock the ages count from. */
export const queueColumns: readonly GridColumn<QueueRow, number>[] = [
  { header: 'Lane', cell: (row) => <LaneBadge lane={row.lane} /> },
  { header: 'Kind', className: 'queue__cell--muted', cell: (row) => kindLabel(row.kind) },
  { header: 'Title', className: 'queue__cell--title', cell: (row) => row.title },
  {
    header: 'Requester',
    className: 'queue__cell--muted',
    // Plain text: the row itself is the control (Enter opens it), so the name is not a button here.
    cell: (row) => <RequesterText id={row.requester.id} />,
  },
  {
    header: 'Age',
    cell: (row, now) => <time dateTime={row.createdAt}>{ageOf(row.createdAt, now)}</time>,
  },
  {
    header: 'Approvals',
    cell: (row) => <ApprovalCount approvals={row.approvals} required={row.requiredApprovals} />,
  },
  { header: 'Status', cell: (row) => <StatusText status={row.status} /> },
];
/** bench/ui.ts scrolls by this height: change both together. */
export const ROW_HEIGHT = 40;
export const HEADER_HEIGHT = 36;
export const requestId = (row: QueueRow) => row.id;
export const rowDomId = (id: string) => `approval-row-${id}`;
