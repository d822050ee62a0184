import { useState } from 'react';
import { Dialog } from '../../components/dialog';
import { Notice } from '../../components/notice';
import { useApiKeys, useApiKeysStore } from './use-api-keys';

/** This computer's signing key for approval decisions: rotated on demand, the old one revoked. */
export function DeviceKeySection() {
  const store = useApiKeysStore();
  const state = useApiKeys((s) => s.deviceKey);
  const [confirming, setConfirming] = useState(false);
  const rotating = state.phase === 'rotating';

  const rotate = async () => {
    await store.getState().rotateDeviceKey();
    setConfirming(false);
  };

  return (
    <section className="credentials-section" aria-labelledby="device-key-heading">
      <h2 id="device-key-heading">Device signing key</h2>
      <p className="hint">
        This computer signs your approval decisions with a key held in the OS keychain. Rotating registers a
        new key with the platform, then revokes the old one.
      </p>
      <button type="button" disabled={rotating} onClick={() => setConfirming(true)}>
        {rotating ? 'Rotating device key…' : 'Rotate device signing key…'}
      </button>
      {state.phase === 'done' && (
        <Notice tone="info" action={{ label: 'Dismiss', run: () => store.getState().clearDeviceKey() }}>
          Device key rotated. New key in use: <code>{state.result.deviceKeyId}</code>.{' '}
          {state.result.revokedKeyId ? (
            <>
              Revoked: <code>{state.result.revokedKeyId}</code>.
            </>
          ) : (
            'There was no earlier key to revoke.'
          )}
        </Notice>
      )}
      {state.phase === 'failed' && (
        <Notice tone="error" action={{ label: 'Dismiss', run: () => store.getState().clearDeviceKey() }}>
          The device key was not rotated: {state.error.message}
        </Notice>
      )}
      {confirming && (
        <Dialog title="Rotate device signing key" onCancel={() => setConfirming(false)}>
          <p>
            A new signing key is made on this computer and registered with the platform; the old one is
            revoked at once. Decisions already signed stay valid.
          </p>
          <div className="dialog__actions">
            <button type="button" data-autofocus onClick={() => setConfirming(false)}>
              Cancel
            </button>
            <button type="button" className="primary" disabled={rotating} onClick={() => void rotate()}>
              {rotating ? 'Rotating…' : 'Rotate device key'}
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
