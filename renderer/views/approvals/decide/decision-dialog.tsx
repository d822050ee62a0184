import { type FormEvent, useEffect, useId, useState } from 'react';
import { Dialog } from '../../../components/dialog';
import type { Decision, QueueRow } from '../../../stores/approvals-store';
import { LaneBadge } from '../lane-badge';
import { useApprovals, useApprovalsStore } from '../use-approvals';
import { SignedReceipt } from './signed-receipt';

export interface DecisionTarget {
  readonly request: QueueRow;
  readonly decision: Decision;
}

/**
 * Confirms one decision before the device key signs it: a comment (required to reject) and, to approve in
 * the red lane, a fresh one-time code. Afterwards it shows what was signed.
 */
export function DecisionDialog({ target, onClose }: { target: DecisionTarget; onClose: () => void }) {
  const store = useApprovalsStore();
  const state = useApprovals((s) => s.decision);
  const { request, decision } = target;
  const [comment, setComment] = useState('');
  const [totp, setTotp] = useState('');
  const [problem, setProblem] = useState<'comment' | 'totp' | null>(null);
  const ids = { comment: useId(), totp: useId(), problem: useId() };
  const approve = decision === 'approve';
  const needsTotp = approve && request.lane === 'red';
  const mine = state.phase !== 'idle' && state.requestId === request.id ? state : null;

  useEffect(() => store.getState().clearDecision(), [store]);
  useEffect(() => {
    if (mine?.phase === 'failed') setTotp('');
  }, [mine?.phase]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!approve && comment.trim() === '') return setProblem('comment');
    if (needsTotp && !/^[0-9]{6}$/.test(totp)) return setProblem('totp');
    setProblem(null);
    void store.getState().decide(request.id, decision, comment, needsTotp ? totp : undefined);
  };

  if (mine?.phase === 'done')
    return (
      <Dialog title={approve ? 'Approval signed' : 'Rejection signed'} onCancel={onClose}>
        <SignedReceipt receipt={mine.receipt} onDone={onClose} />
      </Dialog>
    );

  const deciding = mine?.phase === 'deciding';
  return (
    <Dialog title={approve ? 'Approve request' : 'Reject request'} onCancel={onClose}>
      <form onSubmit={submit} noValidate>
        <p className="dialog__subject">
          <LaneBadge lane={request.lane} long /> <strong>{request.title}</strong>
        </p>
        {request.environment === 'live' && (
          <p className="dialog__live">LIVE — this decision acts on real data.</p>
        )}
        <label htmlFor={ids.comment}>
          {approve ? 'Comment (optional)' : 'Reason for rejecting (required)'}
        </label>
        <textarea
          id={ids.comment}
          data-autofocus={needsTotp ? undefined : true}
          value={comment}
          maxLength={4000}
          rows={3}
          onChange={(e) => {
            setComment(e.target.value);
            if (problem === 'comment') setProblem(null);
          }}
          aria-invalid={problem === 'comment'}
          aria-describedby={problem === 'comment' ? ids.problem : undefined}
        />
        {needsTotp && (
          <>
            <label htmlFor={ids.totp}>One-time code from your authenticator</label>
            <input
              id={ids.totp}
              data-autofocus
              className="totp"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]{6}"
              maxLength={6}
              value={totp}
              onChange={(e) => {
                setTotp(e.target.value.replace(/\D/g, ''));
                if (problem === 'totp') setProblem(null);
              }}
              aria-invalid={problem === 'totp'}
              aria-describedby={problem === 'totp' ? ids.problem : undefined}
            />
            <p className="hint">Red-lane approvals need a fresh 6-digit code.</p>
          </>
        )}
        {problem && (
          <p id={ids.problem} className="field-error" role="alert">
            {problem === 'comment' ? 'Say why you reject it.' : 'Enter the 6-digit code.'}
          </p>
        )}
        {mine?.phase === 'failed' && (
          <p className="field-error" role="alert">
            {mine.error.message}
          </p>
        )}
        <div className="dialog__actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className={approve ? 'primary' : 'danger'} disabled={deciding}>
            {deciding ? 'Signing…' : approve ? 'Approve and sign' : 'Reject and sign'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
