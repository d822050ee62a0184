import { useState } from 'react';
import { Dialog } from '../../components/dialog';
import type { ApiKey } from '../../stores/api-keys-store';
import { useApiKeys, useApiKeysStore } from './use-api-keys';

/** Revoking cannot be undone, so the safe answer (Cancel) has the focus. */
export function RevokeKeyDialog({
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
  const [failed, setFailed] = useState<string | null>(null);

  const revoke = async () => {
    setFailed(null);
    const outcome = await store.getState().revoke(apiKey.id);
    if (outcome.phase === 'failed') setFailed(outcome.error.message);
    else onClose();
  };

  return (
    <Dialog title="Revoke API key" onCancel={onClose} className="key-dialog">
      <p className="dialog__subject">
        <strong>{apiKey.name}</strong> <code>{apiKey.id}</code>
      </p>
      {live && <p className="dialog__live">LIVE — integrations on real data use this key.</p>}
      <p>
        Anything that uses this key stops working at once
        {apiKey.status === 'grace' ? ', before its grace period ends' : ''}. This cannot be undone.
      </p>
      {failed && (
        <p className="field-error" role="alert">
          {failed}
        </p>
      )}
      <div className="dialog__actions">
        <button type="button" data-autofocus onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="danger" disabled={working} onClick={() => void revoke()}>
          {working ? 'Revoking…' : 'Revoke key'}
        </button>
      </div>
    </Dialog>
  );
}
