// biome-ignore-all lint/a11y/useSemanticElements: a virtualized table cannot be a <table> (rows are absolutely positioned), so it carries the ARIA grid roles itself
// biome-ignore-all lint/a11y/useFocusableInteractive: the grid holds the focus and points at the selected row with aria-activedescendant (the ARIA grid pattern)
import { memo, type ReactElement, type ReactNode } from 'react';

/** One column of a virtual grid: its header, and what each row shows in it. */
export interface GridColumn<Row, Context = undefined> {
  readonly header: string;
  /** Classes for this column's cells (not its header), beside the grid's own. */
  readonly className?: string;
  /** The cell's content; `context` is the grid's, the same for every row (a clock for ages, say). */
  readonly cell: (row: Row, context: Context) => ReactNode;
  /** The whole value as a tooltip, for cells an ellipsis may cut. */
  readonly title?: (row: Row) => string;
}

export function cellClass(className: string | undefined): string {
  return className ? `virtual-grid__cell ${className}` : 'virtual-grid__cell';
}

interface GridRowProps<Row, Context> {
  readonly row: Row;
  readonly columns: readonly GridColumn<Row, Context>[];
  readonly context: Context;
  readonly domId: string;
  /** The data attribute that carries the row's key (`data-seq`), and the key. */
  readonly keyAttribute: `data-${string}`;
  readonly rowKey: string | number;
  /** 1-based position among all rows of the grid, the header being row 1. */
  readonly rowIndex: number;
  readonly selected: boolean;
  readonly className: string | undefined;
  readonly top: number;
}

/**
 * One row, positioned by the virtualizer and clicked or opened through the grid. Memoized: while a
 * person scrolls, only rows that come into view render.
 */
function GridRowOf<Row, Context>(props: GridRowProps<Row, Context>) {
  const { row, columns, context, selected } = props;
  const classes = ['virtual-grid__row', selected && 'virtual-grid__row--selected', props.className];
  return (
    <div
      role="row"
      id={props.domId}
      {...{ [props.keyAttribute]: props.rowKey }}
      aria-rowindex={props.rowIndex}
      aria-selected={selected}
      className={classes.filter(Boolean).join(' ')}
      style={{ transform: `translateY(${props.top}px)` }}
    >
      {columns.map((column) => (
        <div
          key={column.header}
          role="gridcell"
          className={cellClass(column.className)}
          title={column.title?.(row)}
        >
          {column.cell(row, context)}
        </div>
      ))}
    </div>
  );
}

// memo() drops the type parameters; the cast puts them back.
export const GridRow = memo(GridRowOf) as <Row, Context>(props: GridRowProps<Row, Context>) => ReactElement;
