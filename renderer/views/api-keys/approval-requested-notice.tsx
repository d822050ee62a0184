import './approval-requested-notice.css';
import type { ReactNode } from 'react';
import type { ApprovalRequest } from '../../../shared/api/approvals';
import { Notice } from '../../components/notice';
import { kindLabel } from '../approvals/format';
import { LaneBadge, StatusText } from '../approvals/lane-badge';

interface Props {
  readonly request: ApprovalRequest;
  /** What the person asked for, in words ("Creating the key “ci”"). */
  readonly asked: ReactNode;
  readonly onDismiss: () => void;
}

/** A write the policy did not allow at once: the request raised in its place, named so it can be found. */
export function ApprovalRequestedNotice({ request, asked, onDismiss }: Props) {
  return (
    <Notice tone="info" action={{ label: 'Dismiss', run: onDismiss }}>
      <p className="approval-raised__lead">
        <strong>Approval requested.</strong> {asked} needs an approval first under this tenant's policy.
      </p>
      <dl className="approval-raised">
        <div>
          <dt>Request</dt>
          <dd>
            {kindLabel(request.kind)} <code>{request.id}</code>
          </dd>
        </div>
        <div>
          <dt>Lane</dt>
          <dd>
            <LaneBadge lane={request.lane} long />
          </dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>
            <StatusText status={request.status} /> · {request.approvals} of {request.requiredApprovals}{' '}
            approvals
          </dd>
        </div>
      </dl>
    </Notice>
  );
}
