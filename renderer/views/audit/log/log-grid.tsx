import type { RefObject } from 'react';
import { VirtualGrid } from '../../../components/virtual-grid/virtual-grid';
import type { AuditEntry } from '../../../stores/audit-store';
import type { NameOf } from '../format';
import { entrySeq, LOG_HEADER_HEIGHT, LOG_ROW_HEIGHT, logColumns, logRowDomId } from './columns';

const moreRowsText = { loading: 'Loading older entries…', waiting: 'Older entries below' };

interface LogGridProps {
  readonly entries: readonly AuditEntry[];
  /** Names for actors and resources; a new one (the directory arrived) draws the rows again. */
  readonly nameOf: NameOf;
  readonly hasMore: boolean;
  readonly loadingMore: boolean;
  readonly busy: boolean;
  readonly selectedSeq: number | null;
  readonly openSeq: number | null;
  readonly gridRef: RefObject<HTMLDivElement | null>;
  onSelect(seq: number): void;
  onMove(delta: number): void;
  onOpen(seq: number): void;
  /** Escape from the list closes the entry open beside it. */
  onEscape(): void;
  loadMore(): void;
}

/**
 * The log as a virtual grid, newest first. No letter keys: those belong to the approvals screen.
 * Rows carry `data-seq`, by which the browser tests find them.
 */
export function LogGrid(props: LogGridProps) {
  const { openSeq } = props;
  return (
    <VirtualGrid
      label="Audit log entries, newest first"
      className="audit-grid"
      columns={logColumns}
      context={props.nameOf}
      rows={props.entries}
      rowKey={entrySeq}
      rowDomId={logRowDomId}
      keyAttribute="data-seq"
      rowHeight={LOG_ROW_HEIGHT}
      headerHeight={LOG_HEADER_HEIGHT}
      overscan={12}
      prefetchRows={40}
      hasMore={props.hasMore}
      loadingMore={props.loadingMore}
      busy={props.busy}
      moreRowsText={moreRowsText}
      selectedKey={props.selectedSeq}
      rowClassName={(entry) => (entry.seq === openSeq ? 'audit-row--open' : undefined)}
      gridRef={props.gridRef}
      onSelect={props.onSelect}
      onMove={props.onMove}
      onOpen={props.onOpen}
      onEscape={openSeq === null ? undefined : props.onEscape}
      loadMore={props.loadMore}
    />
  );
}
