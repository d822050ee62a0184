import type { ApprovalDetail } from '../../../stores/approvals-store';
import { dateTime } from '../format';
import { Who } from '../names';
import { changeAfter } from './timeline-view';

interface Comment {
  readonly key: string;
  readonly at: string;
  readonly author: string;
  readonly body: string;
  readonly decision?: 'approve' | 'reject';
}

/** Every comment on the request: those made alone and those given with a decision, in time order. */
function commentsOf({ request, timeline }: ApprovalDetail): Comment[] {
  const withDecisions = request.decisions
    .filter((d) => d.comment.trim() !== '')
    .map((d) => ({
      key: `d-${d.approverId}`,
      at: d.decidedAt,
      author: d.approverId,
      body: d.comment,
      decision: d.decision,
    }));
  const alone = timeline.events
    .filter((e) => e.action === 'approval.comment')
    .map((e) => ({
      key: `c-${e.seq}`,
      at: e.ts,
      author: e.actor.id,
      body: String(changeAfter(e).body ?? ''),
    }));
  return [...withDecisions, ...alone].sort((a, b) => a.at.localeCompare(b.at));
}

/** Every comment, its author by name; the box to add one follows the list. */
export function CommentsView({ detail, me }: { detail: ApprovalDetail; me: string }) {
  const comments = commentsOf(detail);
  if (comments.length === 0) return <p className="hint">No comments yet.</p>;
  return (
    <ul className="comments">
      {comments.map((c) => (
        <li key={c.key} className="comments__item">
          <p className="comments__meta">
            <Who id={c.author} me={me} />
            {c.decision && ` (${c.decision === 'approve' ? 'approved' : 'rejected'})`} ·{' '}
            <time dateTime={c.at}>{dateTime(c.at)}</time>
          </p>
          <p className="comments__body">{c.body}</p>
        </li>
      ))}
    </ul>
  );
}
