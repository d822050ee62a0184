import type { Policy } from '../../../shared/api/approvals';
import { LaneBadge } from '../approvals/lane-badge';
import { kindNote, orderedKinds, policyKindLabel } from './kind-names';

/** The lane of every kind the policy names, in test and in live, with the rule behind a fixed row. */
export function LanesTable({ policy }: { policy: Policy }) {
  return (
    <table className="policy-table policy-lanes">
      <caption className="visually-hidden">Lane of each request kind in each environment</caption>
      <thead>
        <tr>
          <th scope="col">Request kind</th>
          <th scope="col">Test</th>
          <th scope="col">Live</th>
        </tr>
      </thead>
      <tbody>
        {orderedKinds(Object.keys(policy.lanes)).map((kind) => {
          const lanes = policy.lanes[kind];
          if (!lanes) return null;
          const note = kindNote(kind);
          return (
            <tr key={kind}>
              <th scope="row">
                <span className="policy-kind">{policyKindLabel(kind)}</span>{' '}
                <code className="policy-code">{kind}</code>
                {note && <span className="policy-note">{note}</span>}
              </th>
              <td>
                <LaneBadge lane={lanes.test} />
              </td>
              <td>
                <LaneBadge lane={lanes.live} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
