import { useId } from 'react';
import type { PackageReport } from '../../../../shared/contract/calls/audit-package';
import { PersonName } from '../../../components/person-name';

type Sample = NonNullable<PackageReport['sample']>;

/**
 * The sample and its check: which requests, why these (the seed from the checkpoint closing the period,
 * which neither side could choose), and for each its decisions, evidence and whether it checked out.
 * Deciders are shown by name when the package is of the tenant in use (whose directory the console reads).
 */
export function SampleView({ sample, namesKnown }: { sample: Sample; namesKnown: boolean }) {
  const clean = sample.requests.filter((r) => r.findings.length === 0).length;
  const titleId = useId();
  return (
    <section className="sample" aria-labelledby={titleId}>
      <h3 id={titleId}>
        Sample: {sample.requests.length} of {sample.population} requests
      </h3>
      <p className={sample.proven ? 'sample__rule' : 'sample__rule sample__rule--unproven'}>
        Drawn from the checkpoint that closes the period (size {sample.closing.size.toLocaleString('en')},
        root <code>{sample.closing.root.slice(0, 16)}…</code>), seed <code>{sample.seed.slice(0, 16)}…</code>:{' '}
        {sample.proven
          ? 'that checkpoint verified, so anyone can draw the same sample again from the package.'
          : 'that checkpoint did not verify, so the sample is only what the package claims.'}{' '}
        {clean} of {sample.requests.length} sampled requests check out.
      </p>
      {sample.requests.length > 0 && (
        <table className="sample__table">
          <thead>
            <tr>
              <th scope="col">Request</th>
              <th scope="col">Kind</th>
              <th scope="col">Decisions</th>
              <th scope="col">Evidence</th>
              <th scope="col">Check</th>
            </tr>
          </thead>
          <tbody>
            {sample.requests.map((r) => (
              <tr key={r.requestId}>
                <td>
                  <code>{r.requestId}</code>
                  {r.raisedSeq !== null && <span className="hint"> raised at seq {r.raisedSeq}</span>}
                </td>
                <td>{r.kind ?? '—'}</td>
                <td>
                  {r.decisions.length === 0
                    ? 'none'
                    : r.decisions.map((d) => (
                        <div key={d.seq}>
                          {d.decision} by{' '}
                          {namesKnown ? <PersonName id={d.decider} /> : <code>{d.decider}</code>} (seq {d.seq}
                          )
                        </div>
                      ))}
                </td>
                <td>
                  {r.evidence.length} file{r.evidence.length === 1 ? '' : 's'}
                </td>
                <td className={r.findings.length === 0 ? 'sample__ok' : 'sample__bad'}>
                  {r.findings.length === 0
                    ? 'Checks out'
                    : r.findings.map((f) => (
                        <div key={`${f.class} ${f.message}`}>
                          {f.class}: {f.message}
                        </div>
                      ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
