// biome-ignore-all lint/a11y/useSemanticElements: a virtualized table cannot be a <table> (rows are absolutely positioned), so it carries the ARIA grid roles itself
// biome-ignore-all lint/a11y/useFocusableInteractive: the grid holds the focus and points at the selected row with aria-activedescendant (the ARIA grid pattern)
import { memo } from 'react';
import type { QueueRow as Row } from '../../../stores/approvals-store';
import { ageOf, kindLabel, principalLabel } from '../format';
import { ApprovalCount, LaneBadge, StatusText } from '../lane-badge';

interface QueueRowProps {
  readonly row: Row;
  /** 1-based position among all rows of the grid, the header being row 1. */
  readonly rowIndex: number;
  readonly selected: boolean;
  readonly top: number;
  readonly now: number;
}

export const rowDomId = (id: string) => `approval-row-${id}`;

/** One request in the queue; positioned by the virtualizer, clicked or opened through the grid. */
export const QueueRow = memo(function QueueRow({ row, rowIndex, selected, top, now }: QueueRowProps) {
  return (
    <div
      role="row"
      id={rowDomId(row.id)}
      data-id={row.id}
      aria-rowindex={rowIndex}
      aria-selected={selected}
      className={`queue__row${selected ? ' queue__row--selected' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
    >
      <div role="gridcell" className="queue__cell">
        <LaneBadge lane={row.lane} />
      </div>
      <div role="gridcell" className="queue__cell queue__cell--muted">
        {kindLabel(row.kind)}
      </div>
      <div role="gridcell" className="queue__cell queue__cell--title">
        {row.title}
      </div>
      <div role="gridcell" className="queue__cell queue__cell--muted">
        {principalLabel(row.requester)}
      </div>
      <div role="gridcell" className="queue__cell">
        <time dateTime={row.createdAt}>{ageOf(row.createdAt, now)}</time>
      </div>
      <div role="gridcell" className="queue__cell">
        <ApprovalCount approvals={row.approvals} required={row.requiredApprovals} />
      </div>
      <div role="gridcell" className="queue__cell">
        <StatusText status={row.status} />
      </div>
    </div>
  );
});
