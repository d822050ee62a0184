import { type ReactNode, useState } from 'react';

import { OneTimeSecretDialog } from '../../../components/one-time-secret-dialog';
import { PersonName } from '../../../components/person-name';
import type { ApprovalDetail } from '../../../stores/approvals-store';
import { kindRefusal } from '../../../stores/new-request-draft';
import { useApprovals, useApprovalsStore } from '../use-approvals';
import { WithdrawDialog } from './withdraw-dialog';

type Request = ApprovalDetail['request'];

/** What an executed request of this kind produced for its requester, if anything: a secret, by name. */
function secretOf(request: Request): { title: string; subject: ReactNode } | null {
  const { kind, payload } = request;
  if (kind === 'api_key.create')
    return { title: 'Your new API key', subject: <strong>{String(payload.name ?? 'API key')}</strong> };
  if (kind === 'api_key.rotate' && typeof payload.keyId === 'string')
    return { title: 'The rotated key’s new secret', subject: <PersonName id={payload.keyId} /> };
  // An invitation produces nothing here: its one-time link goes by mail to the invited address only.
  const webhook = payload.webhook as { url?: unknown; environment?: unknown } | undefined;
  if (kind === 'policy.update' && typeof webhook?.url === 'string')
    return {
      title: 'The new webhook signing secret',
      subject: (
        <>
          Webhook for {String(webhook.environment)}: <code>{webhook.url}</code>
        </>
      ),
    };
  return null;
}

const focusTitle = () => requestAnimationFrame(() => document.getElementById('detail-title')?.focus());

/** The requester collects the secret once; it lives in this component only while its dialog is open. */
function CollectResult({ request }: { readonly request: Request }) {
  const store = useApprovalsStore();
  const collected = useApprovals((s) => s.resultsCollected.includes(request.id));
  const [phase, setPhase] = useState<'idle' | 'collecting'>('idle');
  const [message, setMessage] = useState<string | null>(null);
  const [revealed, setRevealed] = useState<string | null>(null);
  const produced = secretOf(request);
  if (!produced) return null;
  const collect = async () => {
    setPhase('collecting');
    setMessage(null);
    const got = await store.getState().collectResult(request.id);
    setPhase('idle');
    if (!got.ok) return setMessage(`It could not be collected: ${got.error.message}`);
    if (got.value.secret === null)
      return setMessage(
        'Nothing to collect: it was collected already, and a secret is handed out only once.',
      );
    setRevealed(got.value.secret);
  };
  return (
    <>
      {revealed && (
        <OneTimeSecretDialog
          title={produced.title}
          subject={produced.subject}
          secret={revealed}
          onClose={() => {
            setRevealed(null);
            setMessage('Collected. It is not kept anywhere and will not be shown again.');
            focusTitle();
          }}
        />
      )}
      {!collected && (
        <button
          type="button"
          className="primary"
          disabled={phase === 'collecting'}
          onClick={() => void collect()}
        >
          {phase === 'collecting' ? 'Collecting…' : 'Collect the new secret…'}
        </button>
      )}
      <span role="status" className="request-actions__message">
        {message ?? (collected ? 'Collected on this computer.' : 'Shown once, to you only.')}
      </span>
    </>
  );
}

interface RequestActionsProps {
  readonly detail: ApprovalDetail;
  readonly me: string;
  /** The profile's role in the tenant (`api-key` for an integration's key). */
  readonly role: string;
  onReverse(): void;
}

/**
 * What the person may do with the request besides deciding: withdraw it (the requester, while it is
 * pending), reverse it (once executed, unless a reversal stands), collect what it produced (the requester).
 */
export function RequestActions({ detail, me, role, onReverse }: RequestActionsProps) {
  const { request } = detail;
  const reversal = useApprovals((s) => (request.reversedBy ? s.linked[request.reversedBy] : undefined));
  const [withdrawing, setWithdrawing] = useState(false);
  const canWithdraw = request.requester.personId === me && request.status === 'pending';
  // A reversal that is pending or executed stands; one rejected, withdrawn or expired leaves room for another.
  const reversalStands =
    request.reversedBy !== null &&
    (!reversal || reversal.status === 'pending' || reversal.status === 'executed');
  const canReverse = request.status === 'executed' && kindRefusal('custom', role) === null && !reversalStands;
  const canCollect =
    request.status === 'executed' && request.requester.id === me && secretOf(request) !== null;
  if (!canWithdraw && !canReverse && !canCollect) return null;
  return (
    <section className="request-actions" aria-label="Request actions">
      {withdrawing && (
        <WithdrawDialog
          request={request}
          onClose={() => setWithdrawing(false)}
          onWithdrawn={() => {
            setWithdrawing(false);
            // The Withdraw button is gone with the pending status: the request's title takes the focus.
            focusTitle();
          }}
        />
      )}
      {canCollect && <CollectResult request={request} />}
      {canWithdraw && (
        <button type="button" onClick={() => setWithdrawing(true)}>
          Withdraw…
        </button>
      )}
      {canReverse && (
        <button type="button" onClick={onReverse}>
          Reverse…
        </button>
      )}
      {canReverse && <span className="hint">Raises a new request that undoes this one, prefilled.</span>}
    </section>
  );
}
