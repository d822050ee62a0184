import { type FindingClass, findingClasses } from '../../../../shared/audit/report';
import type { ExportVerificationResult } from '../../../../shared/contract/calls/audit';

type Finding = ExportVerificationResult['report']['findings'][number];

const classLabels: Record<FindingClass, string> = {
  'entry-modified': 'Modified entries',
  'entry-deleted': 'Deleted entries',
  'entry-inserted': 'Inserted entries',
  reordered: 'Reordered entries',
  truncated: 'Truncated',
  'bad-signature': 'Bad signatures',
  'unknown-key': 'Unknown keys',
  'wrong-origin': 'Wrong log',
  fork: 'Fork',
  'time-regression': 'Time going backwards',
  malformed: 'Malformed lines',
};

/** Where a finding points: one entry, the smallest window the checkpoints allow, or a line of the file. */
export function whereOf(f: Finding): string {
  if (f.seq !== undefined) return `seq ${f.seq}`;
  if (f.window) return `seq ${f.window.start}–${f.window.end - 1}`;
  if (f.line !== undefined) return `line ${f.line}`;
  return '—';
}

/** Stable keys for a fixed list: a finding's own words, numbered when two say the same. */
function keyed(items: readonly Finding[]): { f: Finding; key: string }[] {
  const seen = new Map<string, number>();
  return items.map((f) => {
    const base = `${whereOf(f)} ${f.message}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return { f, key: `${base} #${n}` };
  });
}

/** The findings grouped by class, in the format's order, each with its seq, window or line. */
export function FindingsList({ findings, omitted }: { findings: readonly Finding[]; omitted: number }) {
  if (findings.length === 0 && omitted === 0) return <p>No findings.</p>;
  const groups = findingClasses
    .map((c) => ({ c, items: findings.filter((f) => f.class === c) }))
    .filter((g) => g.items.length > 0);
  return (
    <div className="findings">
      {groups.map(({ c, items }) => (
        <section key={c} className="findings__group" aria-label={`${classLabels[c]}: ${items.length}`}>
          <h4>
            {classLabels[c]} <code>{c}</code> <span className="findings__count">{items.length}</span>
          </h4>
          <table className="findings__table">
            <thead>
              <tr>
                <th scope="col">Where</th>
                <th scope="col">What</th>
              </tr>
            </thead>
            <tbody>
              {keyed(items).map(({ f, key }) => (
                <tr key={key}>
                  <td className="findings__where">{whereOf(f)}</td>
                  <td>
                    {f.message}
                    {f.evidence?.map((note) => (
                      <pre key={note} className="findings__evidence">
                        {note}
                      </pre>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
      {omitted > 0 && <p className="hint">{omitted.toLocaleString('en')} more findings are not listed.</p>}
    </div>
  );
}
