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
}

/** The id of a row's role picker, so focus can go back to it when its Save button is gone or disabled. */
export const rolePickerId = (userId: string) => `role-picker-${userId}`;

/** Members and their roles; a role is changed by picking another and saving it (after a confirmation). */
export function MemberTable({ members, choices, savingUserId, onChoose, onSave }: MemberTableProps) {
  return (
    <table className="members-table">
      <caption className="visually-hidden">Members of this organization</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">E-mail</th>
          <th scope="col">Role</th>
          <th scope="col">Change role</th>
          <th scope="col">Joined</th>
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
              <td>{dateTime(member.joinedAt)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
