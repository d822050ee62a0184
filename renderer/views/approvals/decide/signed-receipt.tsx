import { useEffect, useRef } from 'react';
import type { DecisionReceipt } from '../../../stores/approvals-store';
import { prettyJson } from '../format';
import { ApprovalCount, StatusText } from '../lane-badge';

function outcomeOf({ request }: DecisionReceipt): string {
  if (request.status === 'pending') {
    const left = request.requiredApprovals - request.approvals;
    return `Waiting for ${left} more approval${left === 1 ? '' : 's'} from someone else.`;
  }
  if (request.status === 'executed') return 'Enough approvals: the platform carried it out.';
  return `The request is now ${request.status}.`;
}

/** What this device signed and sent: the exact statement, the key that signed it, and where it stands. */
export function SignedReceipt({ receipt, onDone }: { receipt: DecisionReceipt; onDone: () => void }) {
  const done = useRef<HTMLButtonElement>(null);
  useEffect(() => done.current?.focus(), []);
  const { request } = receipt;
  return (
    <div className="receipt">
      <p role="status" className="receipt__outcome">
        {outcomeOf(receipt)}
      </p>
      <dl className="facts">
        <div className="facts__item">
          <dt>Approvals so far / needed</dt>
          <dd>
            <ApprovalCount approvals={request.approvals} required={request.requiredApprovals} />
          </dd>
        </div>
        <div className="facts__item">
          <dt>Status</dt>
          <dd>
            <StatusText status={request.status} />
          </dd>
        </div>
        <div className="facts__item">
          <dt>Signed with device key</dt>
          <dd>
            <code>{receipt.deviceKeyId}</code>
          </dd>
        </div>
      </dl>
      <h3>Signed statement</h3>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
      <pre className="receipt__statement" tabIndex={0}>
        {prettyJson(receipt.signedStatement)}
      </pre>
      <div className="dialog__actions">
        <button ref={done} type="button" className="primary" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
