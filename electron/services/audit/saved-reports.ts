import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Result } from '../../../shared/result';
import { ok } from '../../../shared/result';
import type { FileGrants, GrantedFile } from '../files/file-grants';

export interface SavedReports {
  readonly html: GrantedFile;
  readonly csv: GrantedFile;
}

/** `audit-package-x.zip` → `audit-package-x`: the reports take the verified file's name. */
function stemOf(name: string): string {
  return name.replace(/\.[^.]*$/, '') || name;
}

/**
 * The verification's reports, HTML and CSV, written beside the file they speak of (`NAME.report.html`,
 * `NAME.findings.csv`), replacing an earlier verification's, and granted so the person can open them.
 * Only for a file the person saved: an upload the console keeps for a while has no "beside".
 */
export async function saveReportsBeside(
  files: FileGrants,
  fileId: string,
  reports: { html: string; csv: string },
): Promise<Result<SavedReports | null>> {
  const file = files.get(fileId);
  if (!file || !files.isSaved(fileId)) return ok(null);
  const stem = join(dirname(file.path), stemOf(file.name));
  const htmlPath = `${stem}.report.html`;
  const csvPath = `${stem}.findings.csv`;
  await writeFile(htmlPath, reports.html, { mode: 0o600 });
  await writeFile(csvPath, reports.csv, { mode: 0o600 });
  const html = await files.grantReport(htmlPath);
  if (!html.ok) return html;
  const csv = await files.grantReport(csvPath);
  if (!csv.ok) return csv;
  return ok({ html: html.value, csv: csv.value });
}
