import { type ReactNode, useEffect, useId, useRef } from 'react';
import type {
  PackageReport,
  PackageVerificationResult,
} from '../../../../shared/contract/calls/audit-package';
import { useSession } from '../../../app-context';
import { FindingsList } from '../export/findings-list';
import { Fact } from '../facts';
import { utcTime } from '../format';
import { SampleView } from './sample-view';

const verdicts: Record<PackageReport['verdict'], { tone: string; mark: string; text: string }> = {
  verified: {
    tone: 'verified',
    mark: '✓',
    text: 'Verified: the log, every decision, every evidence file and the manifest check out.',
  },
  tampered: { tone: 'tampered', mark: '✕', text: 'Tampered: the package contradicts its signed log.' },
  unverifiable: {
    tone: 'unverifiable',
    mark: '?',
    text: 'Unverifiable: the package does not prove all it should with these keys.',
  },
};

const count = (n: number, one: string, many: string) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/**
 * A package's verification: verdict first (focused when it arrives), what was checked, then `children`
 * (where it was saved, the report, the sample form), the sample, the findings.
 */
export function PackageResult({
  result,
  children,
}: {
  result: PackageVerificationResult;
  children?: ReactNode;
}) {
  const { report } = result;
  const verdict = verdicts[report.verdict];
  const titleId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new result is the trigger
  useEffect(() => heading.current?.focus(), [result]);
  const tenant = useSession((s) => s.tenant);
  const namesKnown =
    tenant?.organization === report.organization && tenant?.environment === report.environment;
  const c = report.counts;
  const period = report.period;
  return (
    <section className="report" aria-labelledby={titleId}>
      <h2
        id={titleId}
        ref={heading}
        tabIndex={-1}
        className={`report__verdict report__verdict--${verdict.tone}`}
      >
        <span aria-hidden="true" className="report__mark">
          {verdict.mark}
        </span>
        <span>{verdict.text}</span>
      </h2>
      <dl className="audit-facts audit-facts--grid">
        <Fact name="Package">{result.fileName}</Fact>
        <Fact name="Package SHA-256">
          <code className="report__hash">{report.packageSha256 ?? 'not computed'}</code>
        </Fact>
        <Fact name="Organization">
          {report.organization ?? 'unknown'} · {report.environment ?? 'unknown'}
        </Fact>
        <Fact name="Period">
          {period
            ? `${utcTime(period.from)} to ${utcTime(period.to)} (seq ${period.start} to ${period.end - 1})`
            : 'unknown'}
        </Fact>
        <Fact name="Checked">
          {[
            count(report.log?.entriesRead ?? 0, 'log entry', 'log entries'),
            count(c.decisions, 'decision', 'decisions'),
            count(c.evidenceFiles, 'evidence file', 'evidence files'),
            count(c.references, 'reference', 'references'),
            count(c.announcedKeys, 'announced key', 'announced keys'),
          ].join(', ')}
        </Fact>
        <Fact name="Keys used">
          {report.keysUsed.length > 0 ? report.keysUsed.map((k) => <code key={k}>{k} </code>) : 'none'}
        </Fact>
        <Fact name="Verified at">{utcTime(result.verifiedAt)} (offline, in this console)</Fact>
      </dl>
      {children}
      {report.sample && report.sample.n > 0 && <SampleView sample={report.sample} namesKnown={namesKnown} />}
      <h3>Findings ({(report.findings.length + report.findingsOmitted).toLocaleString('en')})</h3>
      <FindingsList findings={report.findings} omitted={report.findingsOmitted} />
    </section>
  );
}
