import { binarySize } from '../../../components/byte-size';
import type { SavedExport, Verification } from '../../../stores/audit-package-store';
import { Fact } from '../facts';
import { useOpenReport } from './use-package-export';

/** Where the export went and the reports saved beside it, with the way to open the HTML one. */
export function SavedFiles({ saved, verification }: { saved: SavedExport; verification: Verification }) {
  const reports = verification.result.reports;
  const { open, problem } = useOpenReport();
  return (
    <section className="package__saved" aria-label="Saved files">
      <dl className="audit-facts audit-facts--grid">
        <Fact name={saved.kind === 'package' ? 'Package saved' : 'Export saved'}>
          {saved.file.name} ({binarySize(saved.file.size)})
        </Fact>
        <Fact name="SHA-256">
          <code className="report__hash">{saved.sha256}</code>
        </Fact>
        <Fact name="Reports beside it">
          {reports
            ? `${reports.html.name}, ${reports.csv.name}`
            : 'none (the file was not saved by this console)'}
        </Fact>
      </dl>
      {reports && (
        <div className="report__actions">
          <button type="button" className="primary" onClick={() => void open()}>
            Open report
          </button>
        </div>
      )}
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}
