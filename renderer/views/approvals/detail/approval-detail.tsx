import { type ReactNode, useEffect, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Notice } from '../../../components/notice';
import type { Decision, ApprovalDetail as Detail } from '../../../stores/approvals-store';
import { dateTime, kindLabel, principalLabel } from '../format';
import { ApprovalCount, LaneBadge, StatusText } from '../lane-badge';
import { useApprovals, useApprovalsStore } from '../use-approvals';
import { CommentsView } from './comments-view';
import { DecisionBar } from './decision-bar';
import { EvidenceList } from './evidence-list';
import { PayloadView } from './payload-view';
import { TimelineView } from './timeline-view';

interface ApprovalDetailProps {
  /** The person signed in: their own requests and decisions are told apart from others'. */
  readonly me: string;
  onDecide(decision: Decision): void;
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
    ['Requested by', principalLabel(request.requester, me)],
    ['Requested', dateTime(request.createdAt)],
    [request.closedAt ? 'Closed' : 'Expires', dateTime(request.closedAt ?? request.expiresAt)],
    ['Request id', <code key="id">{request.id}</code>],
  ];
  if (request.outcome) facts.push(['Outcome', request.outcome]);
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
export function ApprovalDetailView({ me, onDecide }: ApprovalDetailProps) {
  const store = useApprovalsStore();
  const { detail, offline } = useApprovals(useShallow((s) => ({ detail: s.detail, offline: s.offline })));
  const heading = useRef<HTMLHeadingElement>(null);
  const back = () => store.getState().closeDetail();
  const retry = { label: 'Retry', run: () => void store.getState().retry() };

  const data = detail?.data;
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
          <DecisionBar request={data.request} me={me} onDecide={onDecide} />
          <section aria-labelledby="payload-h">
            <h3 id="payload-h">What it changes</h3>
            <PayloadView kind={data.request.kind} payload={data.request.payload} />
          </section>
          <section aria-labelledby="evidence-h">
            <h3 id="evidence-h">Evidence ({data.request.evidence.length})</h3>
            <EvidenceList evidence={data.request.evidence} />
          </section>
          <section aria-labelledby="comments-h">
            <h3 id="comments-h">Comments</h3>
            <CommentsView detail={data} />
          </section>
          <section aria-labelledby="timeline-h">
            <h3 id="timeline-h">Timeline</h3>
            <TimelineView events={data.timeline.events} />
          </section>
        </>
      )}
    </article>
  );
}
