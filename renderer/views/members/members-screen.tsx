import './members.css';
import { type ReactNode, useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { type RoleName, roleAllows, roleNames } from '../../../shared/domain/permissions';
import { useSession } from '../../app-context';
import { Notice } from '../../components/notice';
import type { Member } from '../../stores/members-store';
import { ApprovalRequestedNotice } from '../api-keys/approval-requested-notice';
import { useFocusFallback } from '../api-keys/use-focus-fallback';
import { DirectoryName } from '../shell/directory-name';
import { ChangeRoleDialog, type RoleChange } from './change-role-dialog';
import { AskNotice } from './lifecycle/ask-notice';
import { ElevationsSection } from './lifecycle/elevations-section';
import { HandOverSection } from './lifecycle/handover-section';
import { InvitationsSection } from './lifecycle/invitations-section';
import { type MemberStep, MemberStepDialog } from './lifecycle/member-step-dialog';
import { useLifecycleStore } from './lifecycle/use-lifecycle';
import { MemberTable, rolePickerId } from './member-table';
import { RoleMatrix } from './role-matrix';
import { roleLabels } from './role-names';
import { useMembers, useMembersStore } from './use-members';

/** Members & roles of the tenant's organization: who has which role, what each role grants, changes. */
export function MembersScreen() {
  const store = useMembersStore();
  const tenant = useSession((s) => s.tenant);
  const epoch = useSession((s) => s.tenantEpoch);
  const s = useMembers(
    useShallow((m) => ({
      members: m.members,
      roles: m.roles,
      phase: m.phase,
      error: m.error,
      offline: m.offline,
      change: m.change,
    })),
  );
  const [choices, setChoices] = useState<Readonly<Record<string, RoleName>>>({});
  const [dialog, setDialog] = useState<RoleChange | null>(null);
  const [step, setStep] = useState<{ member: Member; step: MemberStep } | null>(null);
  const actions = store.getState();
  const lifecycle = useLifecycleStore();
  const tenants = useSession((t) => t.tenants);
  const roleHere = tenants.find((t) => t.organization === tenant?.organization)?.role;
  const myRole = (roleNames as readonly string[]).includes(roleHere ?? '')
    ? (roleHere as RoleName)
    : undefined;
  const myId = useSession((t) => t.active?.profile.principalId);
  const canManage = myRole !== undefined && roleAllows(myRole, 'members:manage');
  const canAsk = myRole !== undefined && roleAllows(myRole, 'approvals:request');

  useEffect(() => {
    if (store.getState().phase === 'idle') void store.getState().load();
    if (lifecycle.getState().phase === 'idle') void lifecycle.getState().load();
  }, [store, lifecycle]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the epoch is the trigger, not an input
  useEffect(() => {
    setDialog(null);
    setChoices({});
  }, [epoch]);

  const focusAfter = useFocusFallback();
  const closeDialog = (userId: string, settled: boolean) => {
    setDialog(null);
    // Once asked for, the row shows the role the member has, and its picker gets the focus back.
    if (settled) setChoices(({ [userId]: _, ...rest }) => rest);
    focusAfter(() => document.getElementById(rolePickerId(userId)));
  };

  const live = tenant?.environment === 'live';
  const retry = {
    label: 'Retry',
    run: () => {
      // What a raised request came to is read again from the screen itself, not from the old notice.
      lifecycle.getState().clearAsk();
      void actions.load();
      void lifecycle.getState().load();
    },
  };
  const change = s.change;
  const named = (userId: string) => (
    <DirectoryName
      id={userId}
      fallback={s.members.find((m) => m.userId === userId)?.displayName ?? 'this member'}
    />
  );

  let body: ReactNode;
  if (s.members.length > 0)
    body = (
      <MemberTable
        members={s.members}
        choices={choices}
        savingUserId={change.phase === 'saving' ? change.userId : null}
        onChoose={(userId, role) => setChoices((c) => ({ ...c, [userId]: role }))}
        onSave={(member, role) => setDialog({ member, role })}
        onLifecycle={canManage ? (member, next) => setStep({ member, step: next }) : undefined}
        canActOn={(member) => member.userId !== myId && (member.role !== 'owner' || myRole === 'owner')}
      />
    );
  else if (s.phase === 'idle' || s.phase === 'loading') body = <Notice tone="info">Loading members…</Notice>;
  else if (s.phase === 'error' && !s.offline)
    body = (
      <Notice tone="error" action={retry}>
        The members could not be loaded: {s.error?.message}
      </Notice>
    );
  else if (s.phase === 'ready') body = <Notice tone="info">This organization has no members yet.</Notice>;

  return (
    <div className={`members-screen${live ? ' members-screen--live' : ''}`}>
      <header className="members-screen__header">
        <h1>Members &amp; roles</h1>
        {tenant && (
          <p className="members-screen__where">
            {tenant.organization} · {live ? <strong className="live-flag">LIVE — real data</strong> : 'test'}
          </p>
        )}
        <button type="button" className="members-screen__refresh" onClick={retry.run}>
          Refresh
        </button>
      </header>
      {s.offline && (
        <Notice tone="offline" action={retry}>
          <strong>Offline.</strong> The platform cannot be reached; what was already loaded stays on screen.
        </Notice>
      )}
      {s.error && !s.offline && s.phase !== 'error' && (
        <Notice tone="error" action={retry}>
          {s.error.message}
        </Notice>
      )}
      {change.phase === 'done' && (
        <Notice tone="info" action={{ label: 'Dismiss', run: () => actions.clearChange() }}>
          <strong>
            <DirectoryName id={change.member.userId} fallback={change.member.displayName} />
          </strong>{' '}
          is now {roleLabels[change.member.role]}.
        </Notice>
      )}
      {change.phase === 'approval-requested' && (
        <ApprovalRequestedNotice
          request={change.request}
          asked={
            <>
              Making {named(change.userId)} {roleLabels[change.role]}
            </>
          }
          onDismiss={() => actions.clearChange()}
        />
      )}
      <AskNotice />
      <section className="members-section" aria-labelledby="members-heading">
        <h2 id="members-heading">Members</h2>
        {body}
      </section>
      <ElevationsSection canManage={canManage} canAsk={canAsk} myRole={myRole} live={live} />
      <InvitationsSection canManage={canManage} live={live} />
      {canManage && <HandOverSection members={s.members} live={live} />}
      <section className="members-section" aria-labelledby="roles-heading">
        <h2 id="roles-heading">Roles and permissions</h2>
        {s.roles ? (
          <RoleMatrix roles={s.roles} />
        ) : s.phase === 'ready' || s.phase === 'error' ? (
          <Notice tone="info">The roles could not be loaded.</Notice>
        ) : (
          <Notice tone="info">Loading roles…</Notice>
        )}
      </section>
      {step && (
        <MemberStepDialog member={step.member} step={step.step} live={live} onClose={() => setStep(null)} />
      )}
      {dialog && (
        <ChangeRoleDialog
          change={dialog}
          live={live}
          onClose={(settled) => closeDialog(dialog.member.userId, settled)}
        />
      )}
    </div>
  );
}
