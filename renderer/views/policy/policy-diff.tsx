import type { Lane } from '../../../shared/approvals/kinds';
import type { DiffRow } from '../../stores/policy-draft';
import { LaneBadge } from '../approvals/lane-badge';
import { policyKindLabel } from './kind-names';

const rank: Readonly<Record<Lane, number>> = { green: 0, yellow: 1, red: 2 };
const envName = { test: 'Test', live: 'Live' } as const;

/** Whether a row asks more or less of approvers, in words: a reviewer looks for the loosening first. */
function effect(row: DiffRow): { text: string; looser: boolean } {
  switch (row.what) {
    case 'lane': {
      const looser = row.before !== undefined && rank[row.after] < rank[row.before];
      return { text: looser ? 'Looser' : 'Stricter', looser };
    }
    case 'redApprovals':
      return row.after < row.before ? { text: 'Looser', looser: true } : { text: 'Stricter', looser: false };
    case 'expiryDays':
      return row.after > row.before
        ? { text: 'Requests wait longer', looser: false }
        : { text: 'Requests expire sooner', looser: false };
    case 'webhook':
      return { text: 'Executed custom writes go elsewhere', looser: false };
  }
}

function Setting({ row }: { row: DiffRow }) {
  switch (row.what) {
    case 'lane':
      return (
        <>
          {policyKindLabel(row.kind)} — {envName[row.environment]} lane{' '}
          <code className="policy-code">{row.kind}</code>
        </>
      );
    case 'redApprovals':
      return <>Red-lane approvals (N)</>;
    case 'expiryDays':
      return <>Requests expire after</>;
    case 'webhook':
      return <>{envName[row.environment]} webhook target</>;
  }
}

function Value({ row, side }: { row: DiffRow; side: 'before' | 'after' }) {
  switch (row.what) {
    case 'lane': {
      const lane = row[side];
      return lane ? <LaneBadge lane={lane} /> : <span className="policy-muted">(not listed)</span>;
    }
    case 'redApprovals':
      return <>{row[side]}</>;
    case 'expiryDays':
      return <>{row[side]} days</>;
    case 'webhook':
      if (side === 'before') return <span className="policy-muted">not shown by the platform</span>;
      return row.after === null ? <>Removed</> : <code className="policy-url">{row.after}</code>;
  }
}

/** A policy change as rows of setting, value in force, value proposed and what it does. */
export function PolicyDiff({ rows, caption }: { rows: readonly DiffRow[]; caption: string }) {
  return (
    <table className="policy-table policy-diff">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Setting</th>
          <th scope="col">In force</th>
          <th scope="col">Proposed</th>
          <th scope="col">Effect</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const { text, looser } = effect(row);
          const key = row.what === 'lane' ? `${row.kind}/${row.environment}` : row.what;
          return (
            <tr key={key}>
              <th scope="row">
                <Setting row={row} />
              </th>
              <td>
                <Value row={row} side="before" />
              </td>
              <td>
                <Value row={row} side="after" />
              </td>
              <td className={looser ? 'policy-diff__looser' : undefined}>{text}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
