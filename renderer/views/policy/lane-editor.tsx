import type { Lane } from '../../../shared/approvals/kinds';
import { fixedLanes } from '../../../shared/approvals/lanes';
import type { DraftProblem, KindLanes } from '../../stores/policy-draft';
import { laneLabels } from '../approvals/format';
import { LaneBadge } from '../approvals/lane-badge';
import { kindNote, orderedKinds, policyKindLabel } from './kind-names';

const lanes: readonly Lane[] = ['green', 'yellow', 'red'];
const envName = { test: 'Test', live: 'Live' } as const;

interface Props {
  readonly idPrefix: string;
  readonly value: Readonly<Record<string, KindLanes>>;
  readonly inForce: Readonly<Record<string, KindLanes>>;
  readonly problems: readonly DraftProblem[];
  onChange(kind: string, lanes: KindLanes): void;
}

/** The id of a kind's lane picker, so a refusal can take the focus to it. */
export const lanePickerId = (prefix: string, kind: string, environment: 'test' | 'live') =>
  `${prefix}-lane-${kind.replace(/[^a-z0-9]/gi, '_')}-${environment}`;

/**
 * Every kind's lane in test and live, as pickers; a fixed kind as badges with its reason. A refused pair
 * says why on its own row, in the platform's words, as soon as it is picked.
 */
export function LaneEditor({ idPrefix, value, inForce, problems, onChange }: Props) {
  return (
    <fieldset className="policy-fieldset">
      <legend>Lanes</legend>
      <p className="hint" id={`${idPrefix}-lanes-hint`}>
        Green is carried out at once, yellow needs one approval, red needs N. Live may never be below test
        (green, then yellow, then red).
      </p>
      <table className="policy-table policy-lanes policy-lanes--edit">
        <caption className="visually-hidden">Lanes to propose</caption>
        <thead>
          <tr>
            <th scope="col">Request kind</th>
            <th scope="col">Test</th>
            <th scope="col">Live</th>
          </tr>
        </thead>
        <tbody>
          {orderedKinds(Object.keys(value)).map((kind) => {
            const pair = value[kind];
            if (!pair) return null;
            const problem = problems.find((p) => p.field === 'lanes' && p.kind === kind);
            const errorId = `${lanePickerId(idPrefix, kind, 'live')}-error`;
            const changed = inForce[kind]?.test !== pair.test || inForce[kind]?.live !== pair.live;
            const note = kindNote(kind);
            return (
              <tr key={kind} className={changed ? 'policy-lanes__changed' : undefined}>
                <th scope="row">
                  <span className="policy-kind">{policyKindLabel(kind)}</span>{' '}
                  <code className="policy-code">{kind}</code>
                  {changed && (
                    <>
                      {' '}
                      <span className="policy-tag">changed</span>
                    </>
                  )}
                  {note && <span className="policy-note">{note}</span>}
                  {problem && (
                    <span className="field-error policy-row-error" id={errorId}>
                      {problem.message}
                    </span>
                  )}
                </th>
                {(['test', 'live'] as const).map((environment) => (
                  <td key={environment}>
                    {fixedLanes[kind] ? (
                      <LaneBadge lane={pair[environment]} />
                    ) : (
                      <select
                        id={lanePickerId(idPrefix, kind, environment)}
                        aria-label={`${envName[environment]} lane of ${policyKindLabel(kind)}`}
                        aria-invalid={problem ? true : undefined}
                        aria-describedby={problem ? errorId : `${idPrefix}-lanes-hint`}
                        className={`lane-select lane-select--${pair[environment]}`}
                        value={pair[environment]}
                        onChange={(e) => onChange(kind, { ...pair, [environment]: e.target.value as Lane })}
                      >
                        {lanes.map((lane) => (
                          <option key={lane} value={lane}>
                            {laneLabels[lane]}
                          </option>
                        ))}
                      </select>
                    )}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </fieldset>
  );
}
