import { useState } from 'react';
import type { RoleName } from '../../../shared/domain/permissions';
import { Dialog } from '../../components/dialog';
import type { Member } from '../../stores/members-store';
import { roleLabels } from './role-names';
import { useMembers, useMembersStore } from './use-members';

export interface RoleChange {
  readonly member: Member;
  readonly role: RoleName;
}

/** Confirms a role change; the policy decides whether it happens now or becomes an approval request. */
interface Props {
  readonly change: RoleChange;
  readonly live: boolean;
  /** `settled`: the change was made or an approval was requested (not cancelled, not failed). */
  readonly onClose: (settled: boolean) => void;
}

export function ChangeRoleDialog({ change, live, onClose }: Props) {
  const store = useMembersStore();
  const saving = useMembers((s) => s.change.phase === 'saving');
  const [failed, setFailed] = useState<string | null>(null);
  const { member, role } = change;

  const confirm = async () => {
    setFailed(null);
    const outcome = await store.getState().changeRole(member.userId, role);
    if (outcome.phase === 'failed') setFailed(outcome.error.message);
    else onClose(true);
  };

  return (
    <Dialog title="Change role" onCancel={() => onClose(false)}>
      {live && <p className="dialog__live">LIVE — this changes what a person may do with real data.</p>}
      <p>
        Change <strong>{member.displayName}</strong> ({member.email}) from{' '}
        <strong>{roleLabels[member.role]}</strong> to <strong>{roleLabels[role]}</strong>?
      </p>
      <p className="hint">
        If this organization's policy asks for approval, an approval request is raised instead and the role
        changes once it is approved.
      </p>
      {failed && (
        <p className="field-error" role="alert">
          {failed}
        </p>
      )}
      <div className="dialog__actions">
        <button type="button" onClick={() => onClose(false)}>
          Cancel
        </button>
        <button
          type="button"
          className="primary"
          data-autofocus
          disabled={saving}
          onClick={() => void confirm()}
        >
          {saving ? 'Saving…' : 'Change role'}
        </button>
      </div>
    </Dialog>
  );
}
