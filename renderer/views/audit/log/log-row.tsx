// biome-ignore-all lint/a11y/useSemanticElements: a virtualized table cannot be a <table> (rows are absolutely positioned), so it carries the ARIA grid roles itself
// biome-ignore-all lint/a11y/useFocusableInteractive: the grid holds the focus and points at the selected row with aria-activedescendant (the ARIA grid pattern)
import { memo } from 'react';
import type { AuditEntry } from '../../../stores/audit-store';
import { actorLabel, resourceLabel, utcTime } from '../format';
import { logRowDomId } from './columns';

interface LogRowProps {
  readonly entry: AuditEntry;
  /** 1-based position among all rows of the grid, the header being row 1. */
  readonly rowIndex: number;
  readonly selected: boolean;
  readonly open: boolean;
  readonly top: number;
}

/** One entry of the log; positioned by the virtualizer, clicked or opened through the grid. */
export const LogRow = memo(function LogRow({ entry, rowIndex, selected, open, top }: LogRowProps) {
  const classes = ['audit-row', selected && 'audit-row--selected', open && 'audit-row--open'];
  return (
    <div
      role="row"
      id={logRowDomId(entry.seq)}
      data-seq={entry.seq}
      aria-rowindex={rowIndex}
      aria-selected={selected}
      className={classes.filter(Boolean).join(' ')}
      style={{ transform: `translateY(${top}px)` }}
    >
      <div role="gridcell" className="audit-cell audit-cell--seq">
        {entry.seq}
      </div>
      <div role="gridcell" className="audit-cell audit-cell--time">
        <time dateTime={entry.ts}>{utcTime(entry.ts).replace(' UTC', '')}</time>
      </div>
      <div role="gridcell" className="audit-cell audit-cell--mono" title={actorLabel(entry.actor)}>
        {actorLabel(entry.actor)}
      </div>
      <div role="gridcell" className="audit-cell audit-cell--action">
        {entry.action}
      </div>
      <div role="gridcell" className="audit-cell audit-cell--mono" title={resourceLabel(entry.resource)}>
        {resourceLabel(entry.resource)}
      </div>
      <div role="gridcell" className="audit-cell">
        <Outcome outcome={entry.outcome} />
      </div>
    </div>
  );
});

export function Outcome({ outcome }: { outcome: AuditEntry['outcome'] }) {
  return (
    <span className={`audit-outcome audit-outcome--${outcome}`}>
      {outcome === 'success' ? '✓ Success' : '✕ Failure'}
    </span>
  );
}
