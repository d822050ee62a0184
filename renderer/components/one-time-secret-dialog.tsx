import './one-time-secret-dialog.css';
import { type ReactNode, useState } from 'react';
import { Dialog } from './dialog';

type Copy = 'idle' | 'copied' | 'failed';

interface OneTimeSecretDialogProps {
  readonly title: string;
  /** What the secret is for (a key's name, a webhook), shown above it. */
  readonly subject: ReactNode;
  /** Held by the caller only while this dialog is open; closing it must drop it. */
  readonly secret: string;
  /** What losing it costs (the end of the warning), e.g. "a lost secret means rotating the key". */
  readonly whenLost?: string;
  /** More for the person to do with the secret, between Copy and Done. */
  readonly children?: ReactNode;
  /** The dialog's own class beside one-time-secret, for its screen's styles. */
  readonly className?: string;
  onClose(): void;
}

/**
 * A secret handed over once (a new API key's, a webhook's signing secret): the warning first, the
 * secret, Copy, and Done. Nothing here keeps it: the caller holds it only while the dialog is open.
 */
export function OneTimeSecretDialog({
  title,
  subject,
  secret,
  whenLost = 'a lost secret means asking for a new one',
  children,
  className,
  onClose,
}: OneTimeSecretDialogProps) {
  const [copy, setCopy] = useState<Copy>('idle');
  const copySecret = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopy('copied');
    } catch {
      setCopy('failed');
    }
  };
  return (
    <Dialog
      title={title}
      onCancel={onClose}
      className={className ? `one-time-secret ${className}` : 'one-time-secret'}
    >
      <p className="one-time-secret__warning" role="note">
        <strong>Copy it now: it will not be shown again.</strong> Neither this console nor the platform keeps
        it; {whenLost}.
      </p>
      <p className="dialog__subject">{subject}</p>
      <figure className="one-time-secret__secret">
        <figcaption className="one-time-secret__label">Secret</figcaption>
        <code className="one-time-secret__value">{secret}</code>
      </figure>
      <div className="one-time-secret__row">
        <button type="button" className="primary" data-autofocus onClick={() => void copySecret()}>
          Copy
        </button>
        <span role="status" className="one-time-secret__copied">
          {copy === 'copied'
            ? 'Copied'
            : copy === 'failed'
              ? 'Copying failed: select the text and copy it.'
              : ''}
        </span>
      </div>
      {children}
      <div className="dialog__actions">
        <button type="button" onClick={onClose}>
          Done — I have stored it
        </button>
      </div>
    </Dialog>
  );
}
