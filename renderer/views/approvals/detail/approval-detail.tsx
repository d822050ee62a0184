import './workflow.css';
import { type ReactNode, useEffect, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { EvidenceMeta } from '../../../../shared/api/evidence';
import { Notice } from '../../../components/notice';
import type { Decision, ApprovalDetail as Detail } from '../../../stores/approvals-store';
import { kindRefusal } from '../../../stores/new-request-draft';
import { dateTime, kindLabel } from '../format';
import { ApprovalCount, LaneBadge, StatusText } from '../lane-badge';
import { idsInText, RequesterName, TextWithNames, useNamesFor, Who } from '../names';
import { useApprovals, useApprovalsStore } from '../use-approvals';
import { CommentBox } from './comment-box';
import { CommentsView } from './comments-view';
import { DecisionBar } from './decision-bar';
import { EvidenceList } from './evidence-list';
import { PayloadView } from './payload-view';
import { RequestActions } from './request-actions';
import { RequestLink } from './request-link';
import { TimelineView } from './timeline-view';

interface ApprovalDetailProps {
  /** The person signed in: their own requests and decisions are told apart from others'. */
  readonly me: string;
  /** The profile's role in the tenant (`api-key` for an integration's key). */
  readonly role: string;
  onDecide(decision: Decision): void;
  /** Opens New request with the inverse of this executed request. */
  onReverse(detail: Detail): void;
  /** Opens New request asking to delete one of this request's files. */
  onRequestDeletion(evidence: EvidenceMeta): void;
}

/** Every person and key the request shows, so that one the directory does not know yet is looked up. */
function namedIn({ request, timeline }: Detail): string[] {
  const inPayload = [request.payload.userId, request.payload.keyId].filter((v) => typeof v === 'string');
  return [
    request.requester.id,
    ...request.decisions.map((d) => d.approverId),
    ...request.evidence.map((e) => e.uploader.id),
    ...timeline.events.map((e) => e.actor.id),
    ...idsInText(request.outcome ?? ''),
    ...(inPayload as string[]),
  ];
}

/** Who decided, by name, and how; "none yet" rather than an empty box. */
function Decisions({ request, me }: { request: Detail['request']; me: string }) {
  if (request.decisions.length === 0)
    return (
      <>
        {request.requiredApprovals === 0
          ? 'no one: none needed'
          : request.status === 'pending'
            ? 'none yet'
            : 'no one'}
      </>
    );
  return (
    <ul className="decided-by">
      {request.decisions.map((d) => (
        <li key={`${d.approverId}-${d.decidedAt}`}>
          <Who id={d.approverId} me={me} /> {d.decision === 'approve' ? 'approved' : 'rejected'}
        </li>
      ))}
    </ul>
  );
}

function Facts({ request, me }: { request: Detail['request']; me: string }) {
  const facts: [string, ReactNode][] = [
    ['Lane', <LaneBadge key="lane" lane={request.lane} long />],
    ['Status', <StatusText key="status" status={request.status} />],
    [
      'Approvals so far / needed',
      <ApprovalCount key="count" approvals={request.approvals} required={request.requiredApprovals} />,
    ],
    ['Kind', kindLabel(request.kind)],
    ['Requested by', <RequesterName key="requester" requester={request.requester} me={me} />],
    ['Decided by', <Decisions key="decisions" request={request} me={me} />],
    ['Requested', dateTime(request.createdAt)],
    [request.closedAt ? 'Closed' : 'Expires', dateTime(request.closedAt ?? request.expiresAt)],
    ['Request id', <code key="id">{request.id}</code>],
  ];
  if (request.outcome) facts.push(['Outcome', <TextWithNames key="outcome" text={request.outcome} />]);
  if (request.reverses) facts.push(['Reverses', <RequestLink key="reverses" id={request.reverses} />]);
  if (request.reversedBy) facts.push(['Reversed by', <RequestLink key="reversed" id={request.reversedBy} />]);
  return (
    <dl className="facts facts--grid">
      {facts.map(([name, value]) => (
        <div key={name} className="facts__item">
          <dt>{name}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** One request in full: what it would do, the evidence, the history, and the decision. */
export function ApprovalDetailView({
  me,
  role,
  onDecide,
  onReverse,
  onRequestDeletion,
}: ApprovalDetailProps) {
  const store = useApprovalsStore();
  const { detail, offline } = useApprovals(useShallow((s) => ({ detail: s.detail, offline: s.offline })));
  const heading = useRef<HTMLHeadingElement>(null);
  const back = () => store.getState().closeDetail();
  const retry = { label: 'Retry', run: () => void store.getState().retry() };

  const data = detail?.data;
  useNamesFor(data ? namedIn(data) : []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus moves when another request opens, not on reloads
  useEffect(() => heading.current?.focus(), [data?.request.id]);

  if (!detail) return null;
  return (
    <article className="detail" aria-labelledby="detail-title" aria-busy={detail.phase === 'loading'}>
      <div className="detail__top">
        <button type="button" onClick={back} aria-keyshortcuts="Escape">
          ← Back to queue
        </button>
        <span className="hint">Esc returns to the queue</span>
      </div>
      {offline && (
        <Notice tone="offline" action={retry}>
          <strong>Offline.</strong> The platform cannot be reached; this is the request as last loaded.
        </Notice>
      )}
      {!data && detail.phase === 'loading' && <Notice tone="info">Loading the request…</Notice>}
      {!data && detail.phase === 'error' && !offline && (
        <Notice tone="error" action={retry}>
          The request could not be loaded: {detail.error?.message}
        </Notice>
      )}
      {data && (
        <>
          <h2 id="detail-title" ref={heading} tabIndex={-1} className="detail__title">
            {data.request.title}
          </h2>
          {data.request.summary && <p className="detail__summary">{data.request.summary}</p>}
          <Facts request={data.request} me={me} />
          <DecisionBar request={data.request} me={me} onDecide={onDecide}>
            <RequestActions detail={data} me={me} role={role} onReverse={() => onReverse(data)} />
          </DecisionBar>
          <section aria-labelledby="payload-h">
            <h3 id="payload-h">What it changes</h3>
            <PayloadView kind={data.request.kind} payload={data.request.payload} />
          </section>
          <section aria-labelledby="evidence-h">
            <h3 id="evidence-h">Evidence ({data.request.evidence.length})</h3>
            <EvidenceList
              evidence={data.request.evidence}
              onRequestDeletion={
                kindRefusal('evidence.delete', role) === null ? onRequestDeletion : undefined
              }
            />
          </section>
          <section aria-labelledby="comments-h">
            <h3 id="comments-h">Comments</h3>
            <CommentsView detail={data} me={me} />
            {role === 'api-key' ? (
              <p className="hint">Comments are made by people; an integration’s key cannot add one.</p>
            ) : (
              <CommentBox requestId={data.request.id} />
            )}
          </section>
          <section aria-labelledby="timeline-h">
            <h3 id="timeline-h">Timeline</h3>
            <TimelineView events={data.timeline.events} me={me} />
          </section>
        </>
      )}
    </article>
  );
}
