import './export.css';
import { useEffect } from 'react';
import { Notice } from '../../../components/notice';
import { ProgressBar } from '../../../components/progress-bar';
import { PackageResult } from '../package/package-result';
import { useAuditStores, useExportCheck } from '../use-audit-stores';
import { FilePicker } from './file-picker';
import { VerificationReport } from './verification-report';
import { VerifierKeys } from './verifier-keys';

/**
 * "Open export…": verify an export file, or an audit package (.zip), offline against pinned keys, with
 * progress, cancel and a report.
 */
export function ExportPanel() {
  const store = useAuditStores().export;
  const file = useExportCheck((s) => s.file);
  const run = useExportCheck((s) => s.run);
  const opening = useExportCheck((s) => s.opening.phase !== 'idle');

  useEffect(() => {
    void store.getState().init();
  }, [store]);

  const verifying = run.phase === 'verifying';
  return (
    <section className="export" aria-label="Verify an export">
      <div className="export__steps">
        <FilePicker />
        <VerifierKeys />
      </div>
      <div className="export__run">
        <button
          type="button"
          className="primary"
          disabled={!file || verifying || opening}
          onClick={() => void store.getState().verify()}
        >
          Verify
        </button>
        {!file && <span className="hint">Open an export file first.</span>}
      </div>
      {verifying && (
        <ProgressBar
          label="Verifying the export"
          done={run.done}
          total={run.total}
          cancelling={run.cancelling}
          onCancel={() => void store.getState().cancel()}
        />
      )}
      {run.phase === 'failed' && (
        <Notice tone="error">
          <strong>Not verified.</strong> {run.error.message}
        </Notice>
      )}
      {run.phase === 'done' && <VerificationReport result={run.result} />}
      {run.phase === 'package-done' && <PackageResult result={run.result} />}
    </section>
  );
}
