import { type AnyFindingClass, findingClasses, packageFindingClasses } from '../../../../shared/audit/report';
import type { PackageReport } from '../../../../shared/contract/calls/audit-package';

/** A log's finding, or a package's (which may also name the request and the package's file). */
type Finding = PackageReport['findings'][number];

const classLabels: Record<AnyFindingClass, string> = {
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
  'decision-signature-bad': 'Decision signatures that do not verify',
  'device-key-unknown': 'Decisions by an unregistered device key',
  'device-key-revoked': 'Decisions by a revoked device key',
  'decider-not-authorized': 'Deciders without a deciding role',
  'evidence-missing': 'Evidence missing from the package',
  'evidence-modified': 'Evidence that differs from what the log names',
  'manifest-mismatch': 'Manifest mismatches',
};

/** Where a finding points: one entry, the smallest window the checkpoints allow, or a line of the file. */
export function whereOf(f: Finding): string {
  const request = f.request ? `request ${f.request}` : '';
  const at = (place: string) => (request ? `${request}, ${place}` : place);
  if (f.seq !== undefined) return at(`seq ${f.seq}`);
  if (f.window) return at(`seq ${f.window.start}–${f.window.end - 1}`);
  if (f.line !== undefined) return at(`line ${f.line}`);
  if (f.path) return at(f.path);
  return request || '—';
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
  const groups = [...findingClasses, ...packageFindingClasses]
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
