import { useState } from 'react';
import { Dialog } from '../../components/dialog';
import type { RevealedSecret } from '../../stores/api-keys-store';
import { useApiKeysStore } from './use-api-keys';

type Copy = 'idle' | 'copied' | 'failed';

/**
 * The new secret, once. Closing the dialog (Done or Escape) drops it from the store: nothing in the
 * console can show it again, so the warning says so before anything else.
 */
export function SecretDialog({ revealed, onClosed }: { revealed: RevealedSecret; onClosed: () => void }) {
  const store = useApiKeysStore();
  const [copy, setCopy] = useState<Copy>('idle');
  const { key, save } = revealed;

  const close = () => {
    store.getState().dismissSecret();
    onClosed();
  };
  const copySecret = async () => {
    try {
      await navigator.clipboard.writeText(revealed.secret);
      setCopy('copied');
    } catch {
      setCopy('failed');
    }
  };

  return (
    <Dialog
      title={revealed.action === 'create' ? 'Your new API key' : 'The rotated key’s new secret'}
      onCancel={close}
      className="key-dialog secret-dialog"
    >
      <p className="secret-dialog__warning" role="note">
        <strong>Copy it now: it will not be shown again.</strong> Neither this console nor the platform keeps
        it, so a lost secret means rotating the key.
      </p>
      <p className="dialog__subject">
        <strong>{key.name}</strong> <code>{key.id}</code>{' '}
        <span className="keys-muted">({key.environment})</span>
      </p>
      <figure className="secret-dialog__secret">
        <figcaption className="secret-dialog__label">Secret</figcaption>
        <code className="secret-dialog__value">{revealed.secret}</code>
      </figure>
      <div className="secret-dialog__row">
        <button type="button" className="primary" data-autofocus onClick={() => void copySecret()}>
          Copy
        </button>
        <span role="status" className="secret-dialog__copied">
          {copy === 'copied'
            ? 'Copied'
            : copy === 'failed'
              ? 'Copying failed: select the text and copy it.'
              : ''}
        </span>
      </div>
      <section className="secret-dialog__save" aria-label="Keep it on this computer">
        {save.phase === 'saved' ? (
          <p role="status">
            Saved into this computer’s keychain as the profile <code>{save.principalId}</code>; it is listed
            in Settings.
          </p>
        ) : (
          <>
            <button
              type="button"
              disabled={save.phase === 'saving'}
              onClick={() => void store.getState().saveAsProfile()}
            >
              {save.phase === 'saving' ? 'Saving…' : 'Save into this computer’s keychain as a profile'}
            </button>
            <p className="hint">
              Optional: lets this console sign in with the key later, e.g. as an auditor.
            </p>
          </>
        )}
        {save.phase === 'failed' && (
          <p className="field-error" role="alert">
            {save.error.message}
          </p>
        )}
      </section>
      <div className="dialog__actions">
        <button type="button" onClick={close}>
          Done — I have stored it
        </button>
      </div>
    </Dialog>
  );
}
