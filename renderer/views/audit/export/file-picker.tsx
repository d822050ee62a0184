import { useId } from 'react';
import { useSession } from '../../../app-context';
import { binarySize } from '../../../components/byte-size';
import { Notice } from '../../../components/notice';
import { ProgressBar } from '../../../components/progress-bar';
import { useAuditStores, useExportCheck } from '../use-audit-stores';

/**
 * Step 1, the export file. In the desktop app the system's open dialog picks it (the page never sees a
 * path); in the headless host the page reads it with a file input and hands it over.
 */
export function FilePicker() {
  const store = useAuditStores().export;
  const choosesFiles = useExportCheck((s) => s.choosesFiles);
  const file = useExportCheck((s) => s.file);
  const opening = useExportCheck((s) => s.opening);
  const openError = useExportCheck((s) => s.openError);
  const busy = useExportCheck((s) => s.opening.phase !== 'idle' || s.run.phase === 'verifying');
  // A new tenant starts with no file: the input forgets the one it showed, too.
  const epoch = useSession((s) => s.tenantEpoch);
  const inputId = useId();
  const hintId = useId();
  return (
    <div className="export-step">
      <h2 className="export-step__title">1. Export file</h2>
      {choosesFiles === false ? (
        <div className="export-file">
          <label htmlFor={inputId}>Audit export to verify</label>
          <input
            key={epoch}
            id={inputId}
            type="file"
            accept=".jsonl,.ndjson,.json,.txt,.zip,application/x-ndjson,application/json,text/plain,application/zip"
            aria-describedby={hintId}
            disabled={busy}
            onChange={(e) => {
              const picked = e.target.files?.[0];
              if (picked) void store.getState().uploadFile(picked);
            }}
          />
        </div>
      ) : (
        <button
          type="button"
          disabled={busy || choosesFiles === null}
          onClick={() => void store.getState().choose()}
        >
          Open export…
        </button>
      )}
      <p id={hintId} className="hint">
        A <code>.jsonl</code> export from the platform, or an audit package (<code>.zip</code>). Verification
        happens on this computer; nothing is sent to the platform.
      </p>
      {opening.phase === 'choosing' && <p role="status">Waiting for you to choose a file…</p>}
      {opening.phase === 'uploading' && (
        <ProgressBar
          label={`Opening ${opening.name}`}
          done={opening.done}
          total={opening.total}
          onCancel={() => void store.getState().cancel()}
        />
      )}
      {openError && <Notice tone="error">The file could not be opened: {openError.message}</Notice>}
      {file && opening.phase === 'idle' && (
        <p className="export-file__chosen" role="status">
          Opened <strong>{file.name}</strong> ({binarySize(file.size)})
        </p>
      )}
    </div>
  );
}
