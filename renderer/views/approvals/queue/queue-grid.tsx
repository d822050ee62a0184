import type { RefObject } from 'react';
import { VirtualGrid } from '../../../components/virtual-grid/virtual-grid';
import type { QueueRow } from '../../../stores/approvals-store';
import { HEADER_HEIGHT, queueColumns, ROW_HEIGHT, requestId, rowDomId } from './columns';
import { marks } from './paint-marks';

const moreRowsText = { loading: 'Loading more requests…', waiting: 'More requests below' };

interface QueueGridProps {
  readonly rows: readonly QueueRow[];
  readonly hasMore: boolean;
  readonly loadingMore: boolean;
  readonly busy: boolean;
  readonly queryVersion: number;
  readonly selectedId: string | null;
  readonly gridRef: RefObject<HTMLDivElement | null>;
  readonly now: number;
  onSelect(id: string): void;
  onMove(delta: number): void;
  onOpen(id: string): void;
  loadMore(): void;
}

/** The queue as a virtual grid, one row per request; J/K come from the screen's own keys. */
export function QueueGrid(props: QueueGridProps) {
  return (
    <VirtualGrid
      label="Approval requests"
      className="queue__grid"
      columns={queueColumns}
      context={props.now}
      rows={props.rows}
      rowKey={requestId}
      rowDomId={rowDomId}
      keyAttribute="data-id"
      rowHeight={ROW_HEIGHT}
      headerHeight={HEADER_HEIGHT}
      overscan={8}
      prefetchRows={60}
      hasMore={props.hasMore}
      loadingMore={props.loadingMore}
      busy={props.busy}
      moreRowsText={moreRowsText}
      selectedKey={props.selectedId}
      gridRef={props.gridRef}
      paintMarks={marks}
      queryVersion={props.queryVersion}
      onSelect={props.onSelect}
      onMove={props.onMove}
      onOpen={props.onOpen}
      loadMore={props.loadMore}
    />
  );
}
