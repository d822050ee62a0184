import { OneTimeSecretDialog } from '../../components/one-time-secret-dialog';
import type { RevealedSecret } from '../../stores/api-keys-store';
import { useApiKeysStore } from './use-api-keys';

/**
 * The new secret, once. Closing the dialog (Done or Escape) drops it from the store: nothing in the
 * console can show it again, so the warning says so before anything else.
 */
export function SecretDialog({ revealed, onClosed }: { revealed: RevealedSecret; onClosed: () => void }) {
  const store = useApiKeysStore();
  const { key, save } = revealed;
  const close = () => {
    store.getState().dismissSecret();
    onClosed();
  };

  return (
    <OneTimeSecretDialog
      title={revealed.action === 'create' ? 'Your new API key' : 'The rotated key’s new secret'}
      subject={
        <>
          <strong>{key.name}</strong> <code>{key.id}</code>{' '}
          <span className="keys-muted">({key.environment})</span>
        </>
      }
      secret={revealed.secret}
      whenLost="a lost secret means rotating the key"
      className="key-dialog secret-dialog"
      onClose={close}
    >
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
    </OneTimeSecretDialog>
  );
}
