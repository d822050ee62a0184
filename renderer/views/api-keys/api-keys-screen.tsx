import './api-keys.css';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useSession } from '../../app-context';
import { Notice } from '../../components/notice';
import type { ApiKey } from '../../stores/api-keys-store';
import { CreateKeyDialog } from './create-key-dialog';
import { DeviceKeySection } from './device-key-section';
import { KeyTable } from './key-table';
import { RevokeKeyDialog } from './revoke-key-dialog';
import { RotateKeyDialog } from './rotate-key-dialog';
import { SecretDialog } from './secret-dialog';
import { useApiKeys, useApiKeysStore } from './use-api-keys';
import { useFocusFallback } from './use-focus-fallback';
import { WriteNotice } from './write-notice';

type OpenDialog =
  | { readonly kind: 'create' }
  | { readonly kind: 'rotate'; readonly key: ApiKey }
  | { readonly kind: 'revoke'; readonly key: ApiKey };

/** API keys & credentials of the tenant in use: the keys, their writes, and this computer's device key. */
export function ApiKeysScreen() {
  const store = useApiKeysStore();
  const tenant = useSession((s) => s.tenant);
  const epoch = useSession((s) => s.tenantEpoch);
  const s = useApiKeys(
    useShallow((k) => ({
      keys: k.keys,
      phase: k.phase,
      error: k.error,
      offline: k.offline,
      write: k.write,
      revealed: k.revealed,
    })),
  );
  const [dialog, setDialog] = useState<OpenDialog | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const actions = store.getState();

  useEffect(() => {
    if (store.getState().phase === 'idle') void store.getState().load();
  }, [store]);
  // A dialog is always about the tenant it was opened in.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the epoch is the trigger, not an input
  useEffect(() => setDialog(null), [epoch]);

  const focusAfter = useFocusFallback();
  const keepFocus = () => focusAfter(() => headingRef.current);

  const live = tenant?.environment === 'live';
  const retry = { label: 'Retry', run: () => void actions.load() };
  const busyKeyId = s.write.phase === 'working' ? s.write.keyId : null;

  let body: ReactNode;
  if (s.keys.length > 0)
    body = (
      <KeyTable
        keys={s.keys}
        busyKeyId={busyKeyId}
        onRotate={(key) => setDialog({ kind: 'rotate', key })}
        onRevoke={(key) => setDialog({ kind: 'revoke', key })}
      />
    );
  else if (s.phase === 'idle' || s.phase === 'loading') body = <Notice tone="info">Loading API keys…</Notice>;
  else if (s.phase === 'error' && !s.offline)
    body = (
      <Notice tone="error" action={retry}>
        The API keys could not be loaded: {s.error?.message}
      </Notice>
    );
  else if (s.phase === 'ready')
    body = (
      <Notice tone="info" action={{ label: 'Create a key', run: () => setDialog({ kind: 'create' }) }}>
        No API keys in this tenant yet. Integrations and auditors sign in with one.
      </Notice>
    );

  return (
    <div className={`keys-screen${live ? ' keys-screen--live' : ''}`}>
      <header className="keys-screen__header">
        <h1 ref={headingRef} tabIndex={-1}>
          API keys &amp; credentials
        </h1>
        {tenant && (
          <p className="keys-screen__where">
            {tenant.organization} · {live ? <strong className="live-flag">LIVE — real data</strong> : 'test'}
          </p>
        )}
        <button
          type="button"
          className="primary keys-screen__action"
          onClick={() => setDialog({ kind: 'create' })}
        >
          Create key…
        </button>
      </header>
      {s.offline && (
        <Notice tone="offline" action={retry}>
          <strong>Offline.</strong> The platform cannot be reached; what was already loaded stays on screen.
        </Notice>
      )}
      {s.error && !s.offline && s.keys.length > 0 && (
        <Notice tone="error" action={retry}>
          {s.error.message}
        </Notice>
      )}
      <WriteNotice write={s.write} onDismiss={() => actions.clearWrite()} />
      <section aria-labelledby="api-keys-heading" className="credentials-section">
        <h2 id="api-keys-heading">API keys</h2>
        {body}
      </section>
      <DeviceKeySection />

      {dialog?.kind === 'create' && <CreateKeyDialog live={live} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'rotate' && (
        <RotateKeyDialog apiKey={dialog.key} live={live} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === 'revoke' && (
        <RevokeKeyDialog
          apiKey={dialog.key}
          live={live}
          onClose={() => {
            setDialog(null);
            keepFocus();
          }}
        />
      )}
      {s.revealed && !dialog && <SecretDialog revealed={s.revealed} onClosed={keepFocus} />}
    </div>
  );
}
