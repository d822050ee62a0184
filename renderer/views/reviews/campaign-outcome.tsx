import { useState } from 'react';
import { useApp, useSession } from '../../app-context';
import { Notice } from '../../components/notice';
import type { Campaign } from '../../stores/reviews-store';
import { dateTime } from '../approvals/format';
import { useNavigate } from '../shell/navigation';
import { useReviews } from './use-reviews';

const reasons = {
  completed: 'every item decided',
  deadline: 'its deadline passed',
  'closed-early': 'closed early',
};

/** A campaign's outcome: what was kept, revoked and changed, what was left undecided, and its pack. */
export function CampaignOutcome({ campaign }: { campaign: Campaign }) {
  const outcome = useReviews((s) => (s.outcome?.campaignId === campaign.id ? s.outcome : null));
  const { client } = useApp();
  const active = useSession((s) => s.active);
  const tenant = useSession((s) => s.tenant);
  const navigate = useNavigate();
  const [opening, setOpening] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  if (!outcome) return <p role="status">Loading the outcome…</p>;
  const undecided = outcome.items.filter((i) => i.decision === null);
  const p = campaign.progress;

  // The pack is evidence of the live environment: opening it caches it there, then the Evidence screen shows it.
  const openInEvidence = async (evidenceId: string) => {
    if (!active || !tenant) return;
    setOpening(evidenceId);
    setFailed(null);
    const opened = await client.call('evidence.open', {
      profile: active.profile,
      tenant: { ...tenant, environment: 'live' },
      evidenceId,
    });
    setOpening(null);
    if (!opened.ok) setFailed(opened.error.message);
    else if (tenant.environment === 'live') navigate('evidence');
    else setFailed('Opened and kept on this computer: switch to the live environment to see it in Evidence.');
  };

  return (
    <div className="campaign-outcome">
      <p>
        {campaign.status === 'closed' && campaign.closeReason
          ? `Closed ${campaign.closedAt ? dateTime(campaign.closedAt) : ''}: ${reasons[campaign.closeReason]}.`
          : 'Open.'}{' '}
        Kept {p.kept}, revoked {p.revoked}, changed {p.changed}, undecided {p.total - p.decided}.
      </p>
      {undecided.length > 0 && campaign.status === 'closed' && (
        <p>Left undecided: {undecided.map((i) => i.subject.name).join(', ')}.</p>
      )}
      {outcome.pack ? (
        <>
          <h4>Evidence pack</h4>
          <ul className="campaign-outcome__pack">
            {outcome.pack.files.map((f) => (
              <li key={f.id}>
                <span>
                  {f.name} <code title="SHA-256">{f.sha256.slice(0, 12)}…</code>
                </span>
                <button type="button" disabled={opening === f.id} onClick={() => void openInEvidence(f.id)}>
                  {opening === f.id ? 'Opening…' : 'Open in Evidence'}
                  <span className="visually-hidden"> {f.name}</span>
                </button>
              </li>
            ))}
          </ul>
          <p className="hint">
            Stored as immutable evidence of the live environment; its hashes are in the audit log.
          </p>
        </>
      ) : (
        campaign.status === 'closed' && <p className="hint">The pack is being written.</p>
      )}
      {failed && <Notice tone="info">{failed}</Notice>}
    </div>
  );
}
