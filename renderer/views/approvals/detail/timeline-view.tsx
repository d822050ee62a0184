import type { ApprovalDetail } from '../../../stores/approvals-store';
import { dateTime } from '../format';
import { TextWithNames, Who } from '../names';

type TimelineEvent = ApprovalDetail['timeline']['events'][number];

const actionLabels: Readonly<Record<string, string>> = {
  'approval.request': 'Requested',
  'approval.decide': 'Decision signed',
  'approval.reject': 'Rejected',
  'approval.execute': 'Carried out',
  'approval.fail': 'Failed to carry out',
  'approval.withdraw': 'Withdrawn',
  'approval.expire': 'Expired',
  'approval.comment': 'Comment',
  'approval.decide_refused': 'Decision refused',
  'approval.step_up_failed': 'Wrong one-time code',
  'approval.step_up_locked': 'Approving locked after wrong codes',
  'approval.step_up_refused': 'Approval refused while locked',
  'approval.break_glass': 'Operator co-signature (break-glass)',
};

/** The `after` side of an audit change, when it is an object. */
export function changeAfter(event: TimelineEvent): Record<string, unknown> {
  const change = event.change;
  if (typeof change !== 'object' || change === null || !('after' in change)) return {};
  const after = (change as { after: unknown }).after;
  return typeof after === 'object' && after !== null ? (after as Record<string, unknown>) : {};
}

function detailOf(event: TimelineEvent): string | null {
  const after = changeAfter(event);
  const statement = after.statement as { decision?: unknown } | undefined;
  if (event.action === 'approval.decide' && typeof statement?.decision === 'string')
    return statement.decision === 'approve' ? 'approved' : 'rejected';
  if (event.action === 'approval.request' && typeof after.lane === 'string')
    return `${after.lane} lane, ${String(after.requiredApprovals ?? 0)} approval(s) needed`;
  if (typeof after.outcome === 'string') return after.outcome;
  if (typeof after.reason === 'string') return after.reason;
  return null;
}

/** The request's history from the audit log, oldest first; who did each thing by name. */
export function TimelineView({ events, me }: { events: readonly TimelineEvent[]; me: string }) {
  if (events.length === 0) return <p className="hint">No history recorded yet.</p>;
  return (
    <ol className="timeline">
      {events.map((event) => {
        const detail = detailOf(event);
        return (
          <li key={event.seq} className="timeline__item">
            <time dateTime={event.ts}>{dateTime(event.ts)}</time>
            <span className="timeline__action">{actionLabels[event.action] ?? event.action}</span>
            <span className="timeline__actor">
              by <Who id={event.actor.id} me={me} />
            </span>
            {detail && (
              <span className="timeline__detail">
                <TextWithNames text={detail} />
              </span>
            )}
          </li>
        );
      })}
    </ol>
  );
}
