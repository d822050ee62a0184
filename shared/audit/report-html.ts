import { escapeHtml } from '../text/escape-html';
import { findingPlace, type VerificationReport } from './report';

export interface VerificationRecord {
  readonly fileName: string;
  readonly fileSha256: string | null;
  readonly verifiedAt: string;
  readonly report: VerificationReport;
}

const verdictText: Record<VerificationReport['verdict'], string> = {
  verified: 'Verified: the file is an untampered part of the log',
  tampered: 'Tampered: the file does not match the signed log',
  unverifiable: 'Unverifiable: nothing in the file could be proven',
};

/**
 * A self-contained, printable report of one verification: what file (by SHA-256), which key, the
 * verdict, when, and every finding by class and seq. No script and no remote resource, so it opens the
 * same anywhere, offline, years later.
 */
export function verificationReportHtml(record: VerificationRecord): string {
  const { report } = record;
  const rows = report.findings
    .map((f) => {
      const where = findingPlace(f, '–');
      return `<tr><td>${escapeHtml(f.class)}</td><td>${escapeHtml(where)}</td><td>${escapeHtml(f.message)}</td></tr>`;
    })
    .join('');
  const field = (name: string, value: string) =>
    `<tr><th scope="row">${escapeHtml(name)}</th><td>${escapeHtml(value)}</td></tr>`;
  const range = (r: { start: number; end: number } | null) =>
    r ? `seq ${r.start} to ${r.end - 1} (${r.end - r.start} entries)` : 'none';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Audit verification: ${escapeHtml(record.fileName)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#1b1f24}table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #d0d7de;padding:.35rem .6rem;text-align:left;vertical-align:top}.verdict{font-size:1.2rem;font-weight:700;padding:.6rem;border-radius:6px}.verified{background:#e6f4ea}.tampered,.unverifiable{background:#fde7e9}code{word-break:break-all}</style></head>
<body><h1>Audit log verification</h1>
<p class="verdict ${report.verdict}">${escapeHtml(report.cancelled ? 'Cancelled before the end of the file: only the range proven below is verified' : verdictText[report.verdict])}</p>
<table>${field('File', record.fileName)}${field('File SHA-256', record.fileSha256 ?? 'not computed')}${field('Verified at', record.verifiedAt)}${field('Log', report.origin ?? 'unknown')}${field('Keys used', report.keysUsed.join(', ') || 'none')}${field('Range in file', range(report.requested))}${field('Range proven', range(report.verified))}${field('Entries read', String(report.entriesRead))}${field('Checkpoints read', String(report.checkpointsRead))}</table>
<h2>Findings (${report.findings.length + report.findingsOmitted})</h2>
${rows ? `<table><thead><tr><th>Class</th><th>Where</th><th>What</th></tr></thead><tbody>${rows}</tbody></table>` : '<p>None.</p>'}
${report.findingsOmitted ? `<p>${report.findingsOmitted} more findings are not listed.</p>` : ''}
</body></html>`;
}
