import { useState } from 'react';
import { type RoleName, roleNames } from '../../../../shared/domain/permissions';
import { roleLabels } from '../role-names';
import { AskDialog } from './ask-dialog';

/** Invite an e-mail address with a role: a member.invite request; once approved, its result is the link. */
export function InviteDialog({ live, onClose }: { live: boolean; onClose: (raised: boolean) => void }) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<RoleName>('member');
  return (
    <AskDialog
      title="Invite a person"
      submitLabel="Request the invitation"
      live={live}
      onClose={onClose}
      ask={(reason) => ({
        kind: 'member.invite',
        title: `Invite ${name.trim() || email.trim()} as ${roleLabels[role]}`,
        summary: reason,
        payload: { email: email.trim(), displayName: name.trim(), role },
      })}
    >
      <label htmlFor="invite-email">E-mail address</label>
      <input
        id="invite-email"
        type="email"
        required
        maxLength={254}
        autoComplete="off"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        data-autofocus
      />
      <label htmlFor="invite-name">Name</label>
      <input
        id="invite-name"
        required
        maxLength={100}
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
      <label htmlFor="invite-role">Role</label>
      <select id="invite-role" value={role} onChange={(e) => setRole(e.target.value as RoleName)}>
        {roleNames.map((r) => (
          <option key={r} value={r}>
            {roleLabels[r]}
          </option>
        ))}
      </select>
      <p className="hint">
        Once approved, collect the one-time enrollment link from the request in Approvals and send it to the
        person. It works once, for 72 hours.
      </p>
    </AskDialog>
  );
}
