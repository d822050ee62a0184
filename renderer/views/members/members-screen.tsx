import './members.css';
import { type ReactNode, useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { RoleName } from '../../../shared/domain/permissions';
import { useSession } from '../../app-context';
import { Notice } from '../../components/notice';
import { ApprovalRequestedNotice } from '../api-keys/approval-requested-notice';
import { useFocusFallback } from '../api-keys/use-focus-fallback';
import { DirectoryName } from '../shell/directory-name';
import { ChangeRoleDialog, type RoleChange } from './change-role-dialog';
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
  const actions = store.getState();

  useEffect(() => {
    if (store.getState().phase === 'idle') void store.getState().load();
  }, [store]);
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
  const retry = { label: 'Retry', run: () => void actions.load() };
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
      <section className="members-section" aria-labelledby="members-heading">
        <h2 id="members-heading">Members</h2>
        {body}
      </section>
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
