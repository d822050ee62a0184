import { Notice } from '../../components/notice';
import type { KeyAction, WriteState } from '../../stores/api-keys-store';
import { ApprovalRequestedNotice } from './approval-requested-notice';

const asked: Readonly<Record<KeyAction, string>> = {
  create: 'Creating the key',
  rotate: 'Rotating the key',
  revoke: 'Revoking the key',
};

/** What the last key write came to, until dismissed; a failed write's message stays in its dialog. */
export function WriteNotice({ write, onDismiss }: { write: WriteState; onDismiss: () => void }) {
  const dismiss = { label: 'Dismiss', run: onDismiss };
  if (write.phase === 'approval-requested')
    return (
      <ApprovalRequestedNotice request={write.request} asked={asked[write.action]} onDismiss={onDismiss} />
    );
  if (write.phase !== 'done') return null;
  const { key } = write;
  return (
    <Notice tone="info" action={dismiss}>
      {write.action === 'create' && (
        <>
          Key <strong>{key.name}</strong> (<code>{key.id}</code>) created.
        </>
      )}
      {write.action === 'rotate' && (
        <>
          Key <strong>{key.name}</strong> rotated: <code>{key.id}</code> is the new key; the old one works
          until its grace period ends.
        </>
      )}
      {write.action === 'revoke' && (
        <>
          Key <strong>{key.name}</strong> (<code>{key.id}</code>) revoked.
        </>
      )}
    </Notice>
  );
}
