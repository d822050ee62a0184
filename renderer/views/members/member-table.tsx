import { type RoleName, roleNames } from '../../../shared/domain/permissions';
import type { Member } from '../../stores/members-store';
import { dateTime } from '../approvals/format';
import { DirectoryName } from '../shell/directory-name';
import { roleLabels } from './role-names';

interface MemberTableProps {
  readonly members: readonly Member[];
  /** The role picked in each row and not yet saved. */
  readonly choices: Readonly<Record<string, RoleName>>;
  readonly savingUserId: string | null;
  readonly onChoose: (userId: string, role: RoleName) => void;
  readonly onSave: (member: Member, role: RoleName) => void;
  /** Suspend, resume or remove (each a request); absent for a person who may not manage members. */
  readonly onLifecycle?: (member: Member, step: 'suspend' | 'resume' | 'remove') => void;
  /** Whether the person may ask for a step on this member (not on themselves; an owner only by an owner). */
  readonly canActOn?: (member: Member) => boolean;
}

/** The id of a row's role picker, so focus can go back to it when its Save button is gone or disabled. */
export const rolePickerId = (userId: string) => `role-picker-${userId}`;

/** Members and their roles; a role is changed by picking another and saving it (after a confirmation). */
export function MemberTable({
  members,
  choices,
  savingUserId,
  onChoose,
  onSave,
  onLifecycle,
  canActOn,
}: MemberTableProps) {
  return (
    <table className="members-table">
      <caption className="visually-hidden">Members of this organization</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">E-mail</th>
          <th scope="col">Role</th>
          <th scope="col">Change role</th>
          <th scope="col">Status</th>
          <th scope="col">Last sign-in</th>
          {onLifecycle && <th scope="col">Membership</th>}
        </tr>
      </thead>
      <tbody>
        {members.map((member) => {
          const choice = choices[member.userId] ?? member.role;
          const saving = savingUserId === member.userId;
          return (
            <tr key={member.userId}>
              <th scope="row">
                <DirectoryName id={member.userId} fallback={member.displayName} />
              </th>
              <td>{member.email}</td>
              <td>
                <span className={`role-tag role-tag--${member.role}`}>{roleLabels[member.role]}</span>
              </td>
              <td>
                <div className="members-table__change">
                  <label className="visually-hidden" htmlFor={rolePickerId(member.userId)}>
                    New role for {member.displayName}
                  </label>
                  <select
                    id={rolePickerId(member.userId)}
                    value={choice}
                    disabled={saving}
                    onChange={(e) => onChoose(member.userId, e.target.value as RoleName)}
                  >
                    {roleNames.map((role) => (
                      <option key={role} value={role}>
                        {roleLabels[role]}
                      </option>
                    ))}
                  </select>
                  <button
                    type="button"
                    disabled={choice === member.role || saving}
                    onClick={() => onSave(member, choice)}
                  >
                    {saving ? 'Saving…' : 'Save'}
                    <span className="visually-hidden"> role of {member.displayName}</span>
                  </button>
                </div>
              </td>
              <td>
                {member.suspended ? (
                  <span className="status-flag status-flag--suspended">Suspended</span>
                ) : member.elevation ? (
                  <span className="status-flag status-flag--elevated">
                    {roleLabels[member.elevation.role]} until {dateTime(member.elevation.endsAt)}
                  </span>
                ) : (
                  'Active'
                )}
              </td>
              <td>
                {member.lastSignInAt ? dateTime(member.lastSignInAt) : 'Never'}
                {member.unused90Days && <span className="unused-flag">Unused 90 days</span>}
              </td>
              {onLifecycle && !(canActOn?.(member) ?? true) && <td />}
              {onLifecycle && (canActOn?.(member) ?? true) && (
                <td>
                  <div className="members-table__actions">
                    <button
                      type="button"
                      onClick={() => onLifecycle(member, member.suspended ? 'resume' : 'suspend')}
                    >
                      {member.suspended ? 'Resume…' : 'Suspend…'}
                      <span className="visually-hidden"> {member.displayName}</span>
                    </button>
                    <button type="button" onClick={() => onLifecycle(member, 'remove')}>
                      Remove…<span className="visually-hidden"> {member.displayName}</span>
                    </button>
                  </div>
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
