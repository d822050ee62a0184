import { useId } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAuditStores, useExportCheck } from '../use-audit-stores';

/**
 * Step 2, the keys to trust. Prefilled with what the platform publishes while it can be reached; an
 * auditor without a network pastes the key they pinned, one per line.
 */
export function VerifierKeys() {
  const store = useAuditStores().export;
  const s = useExportCheck(
    useShallow((e) => ({
      text: e.keysText,
      edited: e.keysEdited,
      status: e.keysStatus,
      error: e.keysError,
      published: e.publishedKeys.length > 0,
      busy: e.run.phase === 'verifying',
    })),
  );
  const id = useId();
  const hintId = useId();
  let source: string;
  if (s.status === 'loading') source = 'Asking the platform for its published keys…';
  else if (s.edited) source = 'Edited by you. These keys alone decide what is trusted.';
  else if (s.status === 'loaded') source = 'Prefilled with the keys the platform publishes for this account.';
  else if (s.status === 'unavailable')
    source = 'Offline: the platform cannot be reached. Paste the verifier key you pinned, one per line.';
  else if (s.status === 'error')
    source = `The platform's keys could not be read (${s.error?.message}). Paste yours.`;
  else source = 'Paste the verifier key you pinned, one per line.';
  return (
    <div className="export-step">
      <h2 className="export-step__title">2. Verifier keys</h2>
      <label htmlFor={id}>Verifier keys (one per line)</label>
      <textarea
        id={id}
        className="export-keys"
        rows={3}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        value={s.text}
        disabled={s.busy}
        aria-describedby={hintId}
        placeholder="name+1a2b3c4d+AQ…"
        onChange={(e) => store.getState().setKeysText(e.target.value)}
      />
      <p id={hintId} className="hint" aria-live="polite">
        {source}
      </p>
      {s.edited && s.published && (
        <button type="button" disabled={s.busy} onClick={() => store.getState().usePublishedKeys()}>
          Use the platform's keys
        </button>
      )}
    </div>
  );
}
