import './approvals.css';
import { useEffect, useRef, useState } from 'react';
import { useSession } from '../../app-context';
import type { Decision } from '../../stores/approvals-store';
import { createDirectoryStore } from '../../stores/directory-store';
import { kindRefusal } from '../../stores/new-request-draft';
import { roleInTenantOf } from '../../stores/new-request-store';
import { useFeatureStore } from '../../use-feature-store';
import { DecisionDialog, type DecisionTarget } from './decide/decision-dialog';
import { ApprovalDetailView } from './detail/approval-detail';
import { NewRequestDialog } from './new-request/new-request-dialog';
import { useNewRequestStore } from './new-request/use-new-request';
import { ApprovalQueue } from './queue/approval-queue';
import { useApprovalHotkeys } from './use-approval-hotkeys';
import { useApprovals, useApprovalsStore } from './use-approvals';

/**
 * Approvals for the tenant in use: the queue, or one request opened from it; the decision dialog, and
 * New request (also the reversal of an executed request, or the deletion of a file).
 */
export function ApprovalsScreen() {
  const store = useApprovalsStore();
  const newRequest = useNewRequestStore();
  const directory = useFeatureStore(createDirectoryStore);
  const me = useSession((s) => s.active?.profile.principalId ?? '');
  const role = useSession(roleInTenantOf) ?? '';
  const tenant = useSession((s) => s.tenant);
  const epoch = useSession((s) => s.tenantEpoch);
  const detailOpen = useApprovals((s) => s.detail !== null);
  const [dialog, setDialog] = useState<DecisionTarget | null>(null);
  const [composing, setComposing] = useState(false);
  const [hint, setHint] = useState('');
  const searchRef = useRef<HTMLInputElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const mayRaise = kindRefusal('custom', role) === null;

  useEffect(() => {
    if (store.getState().phase === 'idle') void store.getState().load();
  }, [store]);
  // A decision or a draft is always about the tenant it was opened in.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the epoch is the trigger, not an input
  useEffect(() => {
    setDialog(null);
    setComposing(false);
    setHint('');
  }, [epoch]);

  const compose = () => {
    if (!mayRaise) return setHint('Your role here may not raise requests.');
    setHint('');
    setComposing(true);
  };

  const decide = (decision: Decision) => {
    const s = store.getState();
    const request = s.detail ? s.detail.data?.request : s.rows.find((r) => r.id === s.selectedId);
    if (!request) return setHint('Select a request first (J and K move the selection).');
    if (request.status !== 'pending') return setHint(`That request is ${request.status}.`);
    if (request.requester.personId === me)
      return setHint('You raised that request; someone else decides it.');
    setHint('');
    setDialog({ request, decision });
  };

  useApprovalHotkeys({
    focusSearch: () => {
      if (!store.getState().detail) return searchRef.current?.select();
      store.getState().closeDetail();
      // The queue (and its search box) comes back on the next render.
      requestAnimationFrame(() => searchRef.current?.focus());
    },
    move: (delta) => {
      if (store.getState().detail) return;
      store.getState().moveSelection(delta);
      if (!gridRef.current?.contains(document.activeElement)) gridRef.current?.focus();
    },
    decide,
    back: () => store.getState().closeDetail(),
    newRequest: compose,
  });

  const live = tenant?.environment === 'live';
  return (
    <div className={`approvals${live ? ' approvals--live' : ''}`}>
      <header className="approvals__header">
        <h1>Approvals</h1>
        {tenant && (
          <p className="approvals__where">
            {tenant.organization} ·{' '}
            {live ? <strong className="live-flag">Live: decisions here act on real data</strong> : 'test'}
          </p>
        )}
        {mayRaise && (
          <button type="button" className="primary approvals__new" aria-keyshortcuts="N" onClick={compose}>
            New request…
          </button>
        )}
        <p className="approvals__keys hint">
          <kbd>Ctrl</kbd>+<kbd>K</kbd> search · <kbd>J</kbd>/<kbd>K</kbd> move · <kbd>Enter</kbd> open ·{' '}
          <kbd>A</kbd> approve · <kbd>R</kbd> reject · <kbd>N</kbd> new request · <kbd>Esc</kbd> back
        </p>
      </header>
      <p className="approvals__hint" role="status">
        {hint}
      </p>
      {detailOpen ? (
        <ApprovalDetailView
          me={me}
          role={role}
          onDecide={decide}
          onReverse={(detail) => {
            const keyName = (keyId: string) => {
              const named = directory.getState().name(keyId);
              return named.kind === 'api-key' ? named.key.name : undefined;
            };
            void newRequest.getState().startReversal(detail, keyName);
            setComposing(true);
          }}
          onRequestDeletion={(evidence) => {
            newRequest.getState().startEvidenceDeletion(evidence);
            setComposing(true);
          }}
        />
      ) : (
        <ApprovalQueue searchRef={searchRef} gridRef={gridRef} />
      )}
      {dialog && <DecisionDialog target={dialog} onClose={() => setDialog(null)} />}
      {composing && tenant && (
        <NewRequestDialog
          tenant={tenant}
          role={role}
          onClose={() => setComposing(false)}
          onRaised={(request) => {
            setComposing(false);
            // The new request opens at once, where its timeline and links are.
            void store.getState().openDetail(request.id);
          }}
        />
      )}
    </div>
  );
}
