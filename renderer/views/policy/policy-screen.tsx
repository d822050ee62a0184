import './policy.css';
import '../approvals/approvals.css';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Policy } from '../../../shared/api/approvals';
import { RoleName, roleAllows, roleNames } from '../../../shared/domain/permissions';
import { useApp, useSession } from '../../app-context';
import { Notice } from '../../components/notice';
import { createApprovalsStore } from '../../stores/approvals-store';
import { changeOf } from '../../stores/policy-draft';
import type { PendingChange } from '../../stores/policy-store';
import { useFeatureStore } from '../../use-feature-store';
import { laneMeaning } from '../approvals/format';
import { LaneBadge } from '../approvals/lane-badge';
import { roleLabels } from '../members/role-names';
import { useNavigate } from '../shell/navigation';
import { LanesTable } from './lanes-table';
import { PendingChanges } from './pending-changes';
import { PolicyEditor } from './policy-editor';
import { usePolicy, usePolicyStore } from './use-policy';

/** Who may propose, in words, from the role matrix (shared/domain/permissions.ts). */
const proposers = roleNames
  .filter((role) => roleAllows(role, 'policy:manage'))
  .map((role) => `${roleLabels[role].toLowerCase()}s`)
  .join(' and ');

/** Whether the person signed in may propose a change here: their role in the organization grants policy:manage. */
function useMayPropose(): boolean {
  return useSession((s) => {
    const role = RoleName.safeParse(s.tenants.find((t) => t.organization === s.tenant?.organization)?.role);
    return role.success && roleAllows(role.data, 'policy:manage');
  });
}

/**
 * The organization's approval policy: lanes per kind and environment, N and the expiry, the changes
 * waiting for approval, and (for people with policy:manage) the editor that proposes a change.
 */
export function PolicyScreen() {
  const store = usePolicyStore();
  const { session } = useApp();
  const approvals = useFeatureStore(createApprovalsStore);
  const navigate = useNavigate();
  const tenant = useSession((s) => s.tenant);
  const epoch = useSession((s) => s.tenantEpoch);
  const mayPropose = useMayPropose();
  const s = usePolicy(
    useShallow((p) => ({
      phase: p.phase,
      policy: p.policy,
      error: p.error,
      offline: p.offline,
      pending: p.pending,
      pendingPhase: p.pendingPhase,
      pendingError: p.pendingError,
      // A draft worth going back to: it changes something, or says why.
      hasDraft:
        p.draft !== null &&
        p.policy !== null &&
        (Object.keys(changeOf(p.policy, p.draft)).length > 0 || p.draft.summary.trim() !== ''),
      submit: p.submit,
    })),
  );
  const [editing, setEditing] = useState(false);
  const proposeRef = useRef<HTMLButtonElement>(null);
  const actions = store.getState();

  // Opening the screen reads the policy again: it changes when others approve a change, elsewhere.
  // What was sent is said once: back on the screen later, the pending list tells the rest.
  useEffect(() => {
    void store.getState().load();
    return () => {
      if (store.getState().submit.phase === 'sent') store.getState().clearSubmit();
    };
  }, [store]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the epoch is the trigger, not an input
  useEffect(() => setEditing(false), [epoch]);

  const openEditor = () => {
    actions.startDraft();
    setEditing(true);
  };
  const openInApprovals = (item: PendingChange) => {
    const { request } = item;
    if (tenant && request.environment !== tenant.environment)
      session
        .getState()
        .selectTenant({ organization: tenant.organization, environment: request.environment });
    void approvals.getState().openDetail(request.id);
    navigate('approvals');
  };

  const retry = { label: 'Retry', run: () => void actions.load() };
  const policy = s.policy;
  let body: ReactNode;
  if (policy) body = <PolicyBody policy={policy} />;
  else if (s.phase === 'error' && !s.offline)
    body = (
      <Notice tone="error" action={retry}>
        The policy could not be loaded: {s.error?.message}
      </Notice>
    );
  else if (!s.offline) body = <Notice tone="info">Loading the policy…</Notice>;

  return (
    <div className="policy-screen">
      <header className="policy-screen__header">
        <h1>Approval policy</h1>
        {tenant && (
          <p className="policy-screen__where">{tenant.organization} · one policy for test and live</p>
        )}
        <div className="policy-screen__actions">
          <button type="button" onClick={() => void actions.load()}>
            Refresh
          </button>
          {mayPropose && policy && (
            <button type="button" className="primary" ref={proposeRef} onClick={openEditor}>
              {s.hasDraft ? 'Continue your change…' : 'Propose change…'}
            </button>
          )}
        </div>
      </header>
      {!mayPropose && (
        <p className="hint policy-screen__readonly">
          Read-only: proposing a change needs the policy:manage permission, which {proposers} have.
        </p>
      )}
      {s.offline && (
        <Notice tone="offline" action={retry}>
          <strong>Offline.</strong> The platform cannot be reached; what was already loaded stays on screen.
        </Notice>
      )}
      {s.error && !s.offline && policy && (
        <Notice tone="error" action={retry}>
          {s.error.message}
        </Notice>
      )}
      {s.submit.phase === 'sent' && (
        <Notice tone="info" action={{ label: 'Dismiss', run: () => actions.clearSubmit() }}>
          <strong>Policy change requested.</strong> “{s.submit.request.title}” now waits for{' '}
          {s.submit.request.requiredApprovals} approvals from people other than you.
        </Notice>
      )}
      {policy && (
        <section className="policy-section" aria-labelledby="policy-pending-heading">
          <h2 id="policy-pending-heading">Pending changes</h2>
          {s.pendingPhase === 'error' && s.pendingError ? (
            <Notice tone="error" action={retry}>
              The pending changes could not be loaded: {s.pendingError.message}
            </Notice>
          ) : s.pendingPhase === 'ready' ? (
            <PendingChanges policy={policy} pending={s.pending} onOpen={openInApprovals} />
          ) : (
            <Notice tone="info">Loading pending changes…</Notice>
          )}
        </section>
      )}
      {body}
      {editing && <PolicyEditor onClose={() => setEditing(false)} />}
    </div>
  );
}

/** The policy in force: N and the expiry, then every kind's lanes. */
function PolicyBody({ policy }: { policy: Policy }) {
  return (
    <>
      <section className="policy-section" aria-labelledby="policy-numbers-heading">
        <h2 id="policy-numbers-heading">Approvals and expiry</h2>
        <dl className="policy-facts">
          <div>
            <dt>Red-lane approvals (N)</dt>
            <dd>
              <strong>{policy.redApprovals}</strong>, from people other than the requester, each with a fresh
              one-time code
            </dd>
          </div>
          <div>
            <dt>Requests expire after</dt>
            <dd>
              <strong>{policy.expiryDays} days</strong> undecided
            </dd>
          </div>
          <div>
            <dt>Audit entries kept</dt>
            <dd>
              {policy.auditRetentionDays === null ? 'indefinitely' : `${policy.auditRetentionDays} days`}{' '}
              <span className="policy-muted">(changed by an audit retention request)</span>
            </dd>
          </div>
        </dl>
      </section>
      <section className="policy-section" aria-labelledby="policy-lanes-heading">
        <h2 id="policy-lanes-heading">Lanes</h2>
        <ul className="policy-legend" aria-label="What each lane means">
          {(['green', 'yellow', 'red'] as const).map((lane) => (
            <li key={lane}>
              <LaneBadge lane={lane} />{' '}
              {lane === 'red'
                ? `needs ${policy.redApprovals} approvals, each with a one-time code`
                : laneMeaning[lane]}
            </li>
          ))}
        </ul>
        <LanesTable policy={policy} />
      </section>
    </>
  );
}
