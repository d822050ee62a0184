import type { Policy } from '../../../shared/api/approvals';
import { Notice } from '../../components/notice';
import { PersonName } from '../../components/person-name';
import { diffOf } from '../../stores/policy-draft';
import type { PendingChange } from '../../stores/policy-store';
import { dateTime } from '../approvals/format';
import { PolicyDiff } from './policy-diff';

interface Props {
  readonly policy: Policy;
  readonly pending: readonly PendingChange[];
  onOpen(change: PendingChange): void;
}

/** Policy changes waiting for approval, each with what it would change and a way to its approvals. */
export function PendingChanges({ policy, pending, onOpen }: Props) {
  if (pending.length === 0) return <Notice tone="info">No policy change is waiting for approval.</Notice>;
  return (
    <ul className="policy-pending">
      {pending.map((item) => {
        const { request, change } = item;
        const headingId = `policy-pending-${request.id}`;
        return (
          <li key={request.id}>
            <article className="policy-pending__item" aria-labelledby={headingId}>
              <div className="policy-pending__top">
                <h3 id={headingId}>{request.title}</h3>
                <button type="button" onClick={() => onOpen(item)}>
                  Open in Approvals<span className="visually-hidden">: {request.title}</span>
                </button>
              </div>
              <p className="policy-pending__meta">
                Raised in{' '}
                <span className={`policy-env policy-env--${request.environment}`}>{request.environment}</span>{' '}
                by <PersonName id={request.requester.personId} /> on {dateTime(request.createdAt)} ·{' '}
                <strong>
                  {request.approvals} of {request.requiredApprovals}
                </strong>{' '}
                approvals · expires {dateTime(request.expiresAt)}
              </p>
              {request.summary && <p className="policy-pending__why">“{request.summary}”</p>}
              {change ? (
                <PolicyDiff rows={diffOf(policy, change)} caption={`What “${request.title}” changes`} />
              ) : (
                <p className="hint">This request's change could not be read here; open it in Approvals.</p>
              )}
            </article>
          </li>
        );
      })}
    </ul>
  );
}
