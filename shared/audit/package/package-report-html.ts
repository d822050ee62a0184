import { escapeHtml } from '../../text/escape-html';
import { findingPlace } from '../report';
import type { PackageReport } from './package-report';

export interface PackageVerificationRecord {
  readonly fileName: string;
  readonly verifiedAt: string;
  readonly report: PackageReport;
}

const verdictText: Record<PackageReport['verdict'], string> = {
  verified:
    'Verified: the log, every decision, every evidence file and the manifest check out against the pinned key',
  tampered: 'Tampered: the package contradicts its signed log',
  unverifiable: 'Unverifiable: the package does not prove all it should',
};

/**
 * A self-contained, printable report of one package verification, like the export's
 * (report-html.ts): the package by SHA-256, the keys, the verdict, the period, the sample with each
 * sampled request's checks, and every finding. No script and no remote resource.
 */
export function packageReportHtml(record: PackageVerificationRecord): string {
  const { report } = record;
  const e = escapeHtml;
  const field = (name: string, value: string) =>
    `<tr><th scope="row">${e(name)}</th><td>${e(value)}</td></tr>`;
  const findings = report.findings
    .map((f) => `<tr><td>${e(f.class)}</td><td>${e(findingPlace(f, '–'))}</td><td>${e(f.message)}</td></tr>`)
    .join('');
  const period = report.period
    ? `${report.period.from} to ${report.period.to} (seq ${report.period.start} to ${report.period.end - 1})`
    : 'unknown';
  const sample = report.sample;
  const sampleRows =
    sample?.requests
      .map((r) => {
        const decisions = r.decisions
          .map((d) => `${d.decision} by ${d.decider} (key ${d.deviceKey}, seq ${d.seq})`)
          .join('; ');
        const status =
          r.findings.length === 0 ? 'all checks pass' : r.findings.map((f) => f.class).join(', ');
        return `<tr><td><code>${e(r.requestId)}</code></td><td>${e(r.kind ?? 'raised before the period')}</td><td>${e(decisions || 'none in the period')}</td><td>${r.evidence.length}</td><td>${e(status)}</td></tr>`;
      })
      .join('') ?? '';
  const sampleSection = sample
    ? `<h2>Sample (${sample.requests.length} of ${sample.population} requests)</h2>
<p>Drawn by the rule <code>cc-audit-sample/1</code> from the checkpoint that closes the period (${e(sample.closing.origin)} at size ${sample.closing.size}, root <code>${e(sample.closing.root)}</code>${sample.proven ? '' : ', not proven'}); seed <code>${e(sample.seed)}</code>. Anyone holding the package derives the same sample.</p>
${sampleRows ? `<table><thead><tr><th>Request</th><th>Kind</th><th>Decisions</th><th>Evidence files</th><th>Checks</th></tr></thead><tbody>${sampleRows}</tbody></table>` : '<p>The period holds no requests.</p>'}`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Audit package verification: ${e(record.fileName)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#1b1f24}table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #d0d7de;padding:.35rem .6rem;text-align:left;vertical-align:top}.verdict{font-size:1.2rem;font-weight:700;padding:.6rem;border-radius:6px}.verified{background:#e6f4ea}.tampered,.unverifiable{background:#fde7e9}code{word-break:break-all}</style></head>
<body><h1>Audit package verification</h1>
<p class="verdict ${report.verdict}">${e(report.cancelled ? 'Cancelled before the end: nothing is verified' : verdictText[report.verdict])}</p>
<table>${field('File', record.fileName)}${field('Package SHA-256', report.packageSha256 ?? 'not computed')}${field('Verified at', record.verifiedAt)}${field('Organization', `${report.organization ?? 'unknown'} / ${report.environment ?? 'unknown'}`)}${field('Log', report.log?.origin ?? 'unknown')}${field('Period', period)}${field('Keys used', report.keysUsed.join(', ') || 'none')}${field('Decisions checked', String(report.counts.decisions))}${field('Evidence files checked', String(report.counts.evidenceFiles))}${field('References proven', String(report.counts.references))}${field('Package made', report.createdAt ?? 'unknown')}</table>
${sampleSection}
<h2>Findings (${report.findings.length + report.findingsOmitted})</h2>
${findings ? `<table><thead><tr><th>Class</th><th>Where</th><th>What</th></tr></thead><tbody>${findings}</tbody></table>` : '<p>None.</p>'}
${report.findingsOmitted ? `<p>${report.findingsOmitted} more findings are not listed.</p>` : ''}
</body></html>`;
}
