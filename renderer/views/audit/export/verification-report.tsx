import { useEffect, useId, useRef } from 'react';
import { verificationReportHtml } from '../../../../shared/audit/report-html';
import type { ExportVerificationResult } from '../../../../shared/contract/calls/audit';
import { downloadText, fileStem } from '../download';
import { Fact } from '../facts';
import { utcTime } from '../format';
import { FindingsList } from './findings-list';

type Report = ExportVerificationResult['report'];

const verdictNames: Record<Report['verdict'], string> = {
  verified: 'Verified',
  tampered: 'Tampered',
  unverifiable: 'Unverifiable',
};

/** The headline: the verdict, except that a run stopped early says so first unless it already found tampering. */
function headline(report: Report): { tone: string; mark: string; text: string } {
  if (report.verdict === 'tampered')
    return {
      tone: 'tampered',
      mark: '✕',
      text: `Tampered: the file does not match the signed log.${report.cancelled ? ' (Cancelled before the end of the file.)' : ''}`,
    };
  if (report.cancelled)
    return {
      tone: 'cancelled',
      mark: '■',
      text: 'Cancelled before the end of the file: only the part read so far was checked.',
    };
  if (report.verdict === 'verified')
    return {
      tone: 'verified',
      mark: '✓',
      text: 'Verified: the file is an untampered part of the signed log.',
    };
  return {
    tone: 'unverifiable',
    mark: '?',
    text: report.verified
      ? 'Unverifiable: only part of the file could be proven with these keys.'
      : 'Unverifiable: nothing in the file could be proven with these keys.',
  };
}

const range = (r: Report['requested']) =>
  r ? `seq ${r.start} to ${r.end - 1} (${(r.end - r.start).toLocaleString('en')} entries)` : 'none';

/** What the verification found, and the two ways to keep it: the result as JSON, or a printable page. */
export function VerificationReport({ result }: { result: ExportVerificationResult }) {
  const { report } = result;
  const verdict = headline(report);
  const titleId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  // A finished verification is announced by moving to its verdict.
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new result is the trigger
  useEffect(() => heading.current?.focus(), [result]);
  const stem = fileStem(result.fileName);
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
        <Fact name="Verdict">{verdictNames[report.verdict]}</Fact>
        <Fact name="File">{result.fileName}</Fact>
        <Fact name="File SHA-256">
          <code className="report__hash">{result.fileSha256 ?? 'not computed (cancelled)'}</code>
        </Fact>
        <Fact name="Log">{report.origin ?? 'unknown'}</Fact>
        <Fact name="Keys used">
          {report.keysUsed.length > 0 ? report.keysUsed.map((k) => <code key={k}>{k} </code>) : 'none'}
        </Fact>
        <Fact name="Verified at">{utcTime(result.verifiedAt)}</Fact>
        <Fact name="Range in file">{range(report.requested)}</Fact>
        <Fact name="Range proven">{range(report.verified)}</Fact>
        <Fact name="Read">
          {report.entriesRead.toLocaleString('en')} entries, {report.checkpointsRead} checkpoints
        </Fact>
      </dl>
      <div className="report__actions">
        <button
          type="button"
          onClick={() =>
            downloadText(`${stem}-verification.json`, JSON.stringify(result, null, 2), 'application/json')
          }
        >
          Save JSON
        </button>
        <button
          type="button"
          onClick={() =>
            downloadText(
              `${stem}-verification.html`,
              verificationReportHtml(result),
              'text/html;charset=utf-8',
            )
          }
        >
          Save HTML report
        </button>
      </div>
      <h3>Findings ({(report.findings.length + report.findingsOmitted).toLocaleString('en')})</h3>
      <FindingsList findings={report.findings} omitted={report.findingsOmitted} />
    </section>
  );
}
