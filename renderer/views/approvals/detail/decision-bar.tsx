import type { ReactNode } from 'react';
import type { ApprovalDetail, Decision } from '../../../stores/approvals-store';
import { dateTime, prettyJson } from '../format';
import { useApprovals } from '../use-approvals';

interface DecisionBarProps {
  readonly request: ApprovalDetail['request'];
  readonly me: string;
  onDecide(decision: Decision): void;
  /** The request's other actions (withdraw, reverse, collect), in the same place, before the receipt. */
  readonly children?: ReactNode;
}

/**
 * Approve / Reject where the person may still decide; otherwise why not, in words (no button that
 * can only fail). The last decision signed here stays visible with its statement.
 */
export function DecisionBar({ request, me, onDecide, children }: DecisionBarProps) {
  const receipt = useApprovals((s) =>
    s.decision.phase === 'done' && s.decision.requestId === request.id ? s.decision.receipt : null,
  );
  const mine = request.decisions.find((d) => d.approverId === me);
  let reason: string | null = null;
  if (mine)
    reason = `You ${mine.decision === 'approve' ? 'approved' : 'rejected'} this on ${dateTime(mine.decidedAt)}.`;
  else if (request.status !== 'pending')
    reason = `This request is ${request.status}; it takes no more decisions.`;
  // A request raised through one of the person's API keys is theirs too.
  else if (request.requester.personId === me) reason = 'You raised this request; someone else decides it.';

  return (
    <section className="decision-bar" aria-label="Decision">
      {reason ? (
        <p className="decision-bar__reason">{reason}</p>
      ) : (
        <div className="decision-bar__actions">
          <button type="button" className="primary" aria-keyshortcuts="A" onClick={() => onDecide('approve')}>
            Approve…
          </button>
          <button type="button" className="danger" aria-keyshortcuts="R" onClick={() => onDecide('reject')}>
            Reject…
          </button>
          <span className="hint">Shortcuts: A approve, R reject</span>
        </div>
      )}
      {children}
      {receipt && (
        <details className="decision-bar__receipt" open>
          <summary>What you signed</summary>
          <p>
            Device key <code>{receipt.deviceKeyId}</code>
          </p>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
          <pre className="receipt__statement" tabIndex={0}>
            {prettyJson(receipt.signedStatement)}
          </pre>
        </details>
      )}
    </section>
  );
}
