import { type FormEvent, useState } from 'react';
import { Dialog } from '../../components/dialog';
import type { ApiKey } from '../../stores/api-keys-store';
import { graceChoices } from './key-format';
import { useApiKeys, useApiKeysStore } from './use-api-keys';

const DEFAULT_GRACE = 24 * 3600;

/** A new secret for the key; the old one keeps working for the grace period chosen here. */
export function RotateKeyDialog({
  apiKey,
  live,
  onClose,
}: {
  apiKey: ApiKey;
  live: boolean;
  onClose: () => void;
}) {
  const store = useApiKeysStore();
  const working = useApiKeys((s) => s.write.phase === 'working');
  const [grace, setGrace] = useState<number>(DEFAULT_GRACE);
  const [failed, setFailed] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailed(null);
    const outcome = await store.getState().rotate(apiKey.id, grace);
    if (outcome.phase === 'failed') setFailed(outcome.error.message);
    else onClose();
  };

  return (
    <Dialog title="Rotate API key" onCancel={onClose} className="key-dialog">
      <form onSubmit={(e) => void submit(e)}>
        <p className="dialog__subject">
          <strong>{apiKey.name}</strong> <code>{apiKey.id}</code>
        </p>
        {live && <p className="dialog__live">LIVE — integrations on real data use this key.</p>}
        <fieldset className="grace-picker">
          <legend>How long the old key keeps working</legend>
          {graceChoices.map((choice) => (
            <label key={choice.seconds} className="grace-picker__item">
              <input
                type="radio"
                name="grace"
                value={choice.seconds}
                checked={grace === choice.seconds}
                data-autofocus={choice.seconds === DEFAULT_GRACE ? true : undefined}
                onChange={() => setGrace(choice.seconds)}
              />
              {choice.label}
              {choice.hint && <span className="hint"> — {choice.hint}</span>}
            </label>
          ))}
        </fieldset>
        <p className="hint">The new secret is shown once, right after the rotation.</p>
        {failed && (
          <p className="field-error" role="alert">
            {failed}
          </p>
        )}
        <div className="dialog__actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={working}>
            {working ? 'Rotating…' : 'Rotate key'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
