import { type FormEvent, useState } from 'react';
import { type RoleName, roleNames } from '../../../shared/domain/permissions';
import { Dialog } from '../../components/dialog';
import type { ReviewItem } from '../../stores/reviews-store';
import { roleLabels } from '../members/role-names';
import type { ItemDecision } from './use-review-hotkeys';
import { useReviews, useReviewsStore } from './use-reviews';

const verbs: Record<ItemDecision, string> = { keep: 'Keep', revoke: 'Revoke', change: 'Change' };

/** One decision with its reason; revoke and change raise a request in their lane. */
export function DecideItemDialog({
  item,
  decision,
  onClose,
}: {
  item: ReviewItem;
  decision: ItemDecision;
  onClose: () => void;
}) {
  const store = useReviewsStore();
  const deciding = useReviews((s) => s.deciding);
  const [reason, setReason] = useState('');
  const [role, setRole] = useState<RoleName | ''>('');
  const [failed, setFailed] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim() === '') {
      setFailed('Give a reason: it goes into the evidence pack.');
      return;
    }
    if (decision === 'change' && !role) {
      setFailed('Choose the role the member should have instead.');
      return;
    }
    const decided = await store.getState().decide(item, {
      decision,
      reason: reason.trim(),
      ...(decision === 'change' && role ? { role } : {}),
    });
    if (decided.ok) onClose();
    else setFailed(decided.error.message);
  };

  return (
    <Dialog title={`${verbs[decision]}: ${item.subject.name}`} onCancel={onClose}>
      <form onSubmit={(e) => void submit(e)} className="review-form">
        {decision === 'change' && (
          <>
            <label htmlFor="review-role">
              New role (fewer permissions than {item.snapshot.role ?? 'now'})
            </label>
            <select
              id="review-role"
              value={role}
              onChange={(e) => setRole(e.target.value as RoleName)}
              data-autofocus
            >
              <option value="">Choose…</option>
              {roleNames.map((r) => (
                <option key={r} value={r}>
                  {roleLabels[r]}
                </option>
              ))}
            </select>
          </>
        )}
        <label htmlFor="review-reason">Reason</label>
        <textarea
          id="review-reason"
          rows={3}
          maxLength={2000}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          onKeyDown={(e) => {
            // Ctrl+Enter (Cmd+Enter) sends, so a decision never needs the mouse; Enter alone is a new line.
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              e.currentTarget.form?.requestSubmit();
            }
          }}
          aria-describedby="review-reason-hint"
          data-autofocus={decision === 'change' ? undefined : true}
        />
        <p className="hint" id="review-reason-hint">
          Ctrl+Enter records the decision.
        </p>
        {decision !== 'keep' && (
          <p className="hint">
            This raises an ordinary approval request, linked to this item; it happens once approved.
          </p>
        )}
        {failed && (
          <p className="field-error" role="alert">
            {failed}
          </p>
        )}
        <div className="dialog__actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={deciding}>
            {deciding ? 'Saving…' : verbs[decision]}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
