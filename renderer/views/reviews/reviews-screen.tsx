import './reviews.css';
import { useEffect, useState } from 'react';
import { type RoleName, roleAllows, roleNames } from '../../../shared/domain/permissions';
import { useSession } from '../../app-context';
import { Notice } from '../../components/notice';
import type { Campaign, ReviewItem } from '../../stores/reviews-store';
import { dateTime } from '../approvals/format';
import { CampaignOutcome } from './campaign-outcome';
import { DecideItemDialog } from './decide-item-dialog';
import { MyItems } from './my-items';
import { ProgressChart } from './progress-chart';
import { StartCampaignDialog } from './start-campaign-dialog';
import { type ItemDecision, useReviewHotkeys } from './use-review-hotkeys';
import { useReviews, useReviewsStore } from './use-reviews';

const DAY = 24 * 3600_000;

/** Access reviews: reminders of what is due, my items, each campaign's progress per reviewer and outcome. */
export function ReviewsScreen() {
  const store = useReviewsStore();
  const tenant = useSession((s) => s.tenant);
  const tenants = useSession((s) => s.tenants);
  const campaigns = useReviews((s) => s.campaigns);
  const myItems = useReviews((s) => s.myItems);
  const selectedId = useReviews((s) => s.selectedId);
  const phase = useReviews((s) => s.phase);
  const error = useReviews((s) => s.error);
  const outcomeId = useReviews((s) => s.outcome?.campaignId ?? null);
  const [starting, setStarting] = useState(false);
  const [deciding, setDeciding] = useState<{ item: ReviewItem; decision: ItemDecision } | null>(null);
  const [closeFailed, setCloseFailed] = useState<string | null>(null);

  const roleHere = tenants.find((t) => t.organization === tenant?.organization)?.role;
  const role = (roleNames as readonly string[]).includes(roleHere ?? '') ? (roleHere as RoleName) : undefined;
  const canDecide = role !== undefined && roleAllows(role, 'approvals:decide');

  useEffect(() => {
    if (store.getState().phase === 'idle') void store.getState().load();
  }, [store]);

  const decide = (item: ReviewItem | undefined, decision: ItemDecision) => {
    if (!item || item.decision !== null) return;
    if (decision === 'change' && item.subject.type !== 'member') return;
    setDeciding({ item, decision });
  };
  useReviewHotkeys({
    move: (delta) => store.getState().move(delta),
    decide: (decision) =>
      decide(
        myItems.find((i) => i.id === selectedId),
        decision,
      ),
  });

  const undecided = myItems.filter((i) => i.decision === null);
  const now = Date.now();
  const dueSoon = undecided.filter((i) => Date.parse(i.deadline) - now < 3 * DAY);
  const open = campaigns.filter((c) => c.status === 'open');
  const closed = campaigns.filter((c) => c.status === 'closed');

  const close = async (campaign: Campaign) => {
    setCloseFailed(null);
    const closedNow = await store.getState().close(campaign.id);
    if (!closedNow.ok) setCloseFailed(closedNow.error.message);
  };

  return (
    <div className={`reviews-screen${tenant?.environment === 'live' ? ' reviews-screen--live' : ''}`}>
      <header className="reviews-screen__header">
        <h1>Access reviews</h1>
        <div className="reviews-screen__actions">
          <button type="button" onClick={() => void store.getState().load()}>
            Refresh
          </button>
          {canDecide && (
            <button type="button" className="primary" onClick={() => setStarting(true)}>
              Start a review…
            </button>
          )}
        </div>
      </header>
      {error && (
        <Notice tone="error" action={{ label: 'Retry', run: () => void store.getState().load() }}>
          {error.message}
        </Notice>
      )}
      {phase === 'loading' && <p role="status">Loading reviews…</p>}
      {undecided.length > 0 && (
        <Notice tone="info">
          <strong>
            {undecided.length} item{undecided.length === 1 ? '' : 's'} to review
          </strong>
          {dueSoon.length > 0 ? `, ${dueSoon.length} due within three days` : ''}.
        </Notice>
      )}

      <section className="reviews-section" aria-labelledby="my-items-heading">
        <h2 id="my-items-heading">My items</h2>
        {myItems.length === 0 ? (
          <p className="hint">Nothing is assigned to you in an open review.</p>
        ) : (
          <>
            <p className="hint reviews-keys">
              Keys: <kbd>J</kbd>/<kbd>K</kbd> move, <kbd>Y</kbd> keep, <kbd>X</kbd> revoke, <kbd>C</kbd>{' '}
              change a member’s role — each asks for the reason.
            </p>
            <MyItems
              items={myItems}
              selectedId={selectedId}
              onSelect={(id) => store.getState().select(id)}
              onDecide={(item, decision) => decide(item, decision)}
            />
          </>
        )}
      </section>

      <section className="reviews-section" aria-labelledby="campaigns-heading">
        <h2 id="campaigns-heading">Campaigns</h2>
        {closeFailed && <Notice tone="error">{closeFailed}</Notice>}
        {campaigns.length === 0 && phase === 'ready' && (
          <p className="hint">No review has been started yet.</p>
        )}
        {[...open, ...closed].map((c) => (
          <article key={c.id} className="campaign" aria-labelledby={`campaign-${c.id}`}>
            <header className="campaign__header">
              <h3 id={`campaign-${c.id}`}>{c.title}</h3>
              <span className={`campaign__status campaign__status--${c.status}`}>
                {c.status === 'open' ? `Open until ${dateTime(c.deadline)}` : 'Closed'}
              </span>
            </header>
            <p className="campaign__figures">
              {c.progress.decided} of {c.progress.total} decided
              {c.progress.changedSinceSnapshot > 0 &&
                ` · ${c.progress.changedSinceSnapshot} changed since the snapshot`}
              {c.myUndecided > 0 && ` · ${c.myUndecided} waiting for you`}
            </p>
            <ProgressChart campaign={c} />
            <div className="campaign__actions">
              <button
                type="button"
                aria-expanded={outcomeId === c.id}
                onClick={() => void store.getState().showOutcome(outcomeId === c.id ? null : c.id)}
              >
                {outcomeId === c.id
                  ? 'Hide the outcome'
                  : c.status === 'closed'
                    ? 'Outcome and evidence pack'
                    : 'Items so far'}
                <span className="visually-hidden"> of {c.title}</span>
              </button>
              {c.status === 'open' && canDecide && (
                <button type="button" onClick={() => void close(c)}>
                  Close now<span className="visually-hidden"> {c.title}</span>
                </button>
              )}
            </div>
            {outcomeId === c.id && <CampaignOutcome campaign={c} />}
          </article>
        ))}
      </section>
      {starting && <StartCampaignDialog onClose={() => setStarting(false)} />}
      {deciding && (
        <DecideItemDialog
          item={deciding.item}
          decision={deciding.decision}
          onClose={() => setDeciding(null)}
        />
      )}
    </div>
  );
}
