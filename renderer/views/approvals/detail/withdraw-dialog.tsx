import { useEffect } from 'react';
import { Dialog } from '../../../components/dialog';
import type { ApprovalDetail } from '../../../stores/approvals-store';
import { LaneBadge } from '../lane-badge';
import { useApprovals, useApprovalsStore } from '../use-approvals';

interface WithdrawDialogProps {
  readonly request: ApprovalDetail['request'];
  onClose(): void;
  onWithdrawn(): void;
}

/** Confirms a withdrawal, which cannot be undone; Keep it is where the focus starts. */
export function WithdrawDialog({ request, onClose, onWithdrawn }: WithdrawDialogProps) {
  const store = useApprovalsStore();
  const write = useApprovals((s) =>
    s.write.phase !== 'idle' && s.write.requestId === request.id && s.write.action === 'withdraw'
      ? s.write
      : null,
  );
  useEffect(() => store.getState().clearWrite(), [store]);
  const working = write?.phase === 'working';
  const withdraw = async () => {
    if (await store.getState().withdraw(request.id)) onWithdrawn();
  };
  return (
    <Dialog title="Withdraw request" onCancel={onClose}>
      <p className="dialog__subject">
        <LaneBadge lane={request.lane} long /> <strong>{request.title}</strong>
      </p>
      <p>
        Withdrawing closes the request: no one can approve it any more, and it cannot be reopened. If the
        change is still needed later, raise a new request.
      </p>
      {request.approvals > 0 && (
        <p>
          {request.approvals === 1 ? 'One approval' : `${request.approvals} approvals`} given so far will no
          longer count.
        </p>
      )}
      {write?.phase === 'failed' && (
        <p className="field-error" role="alert">
          {write.error.message}
        </p>
      )}
      <div className="dialog__actions">
        <button type="button" data-autofocus onClick={onClose}>
          Keep it
        </button>
        <button type="button" className="danger" disabled={working} onClick={() => void withdraw()}>
          {working ? 'Withdrawing…' : 'Withdraw request'}
        </button>
      </div>
    </Dialog>
  );
}
