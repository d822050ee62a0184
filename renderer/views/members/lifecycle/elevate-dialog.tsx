import { useState } from 'react';
import { type RoleName, roleNames } from '../../../../shared/domain/permissions';
import { roleLabels } from '../role-names';
import { AskDialog } from './ask-dialog';

const durations = [
  { minutes: 60, label: '1 hour' },
  { minutes: 120, label: '2 hours' },
  { minutes: 240, label: '4 hours' },
  { minutes: 480, label: '8 hours' },
];

/** Ask for a role for a while (member.elevate): it applies once approved and ends by itself. */
export function ElevateDialog({
  live,
  currentRole,
  maxHours,
  onClose,
}: {
  live: boolean;
  currentRole: RoleName | undefined;
  maxHours: number;
  onClose: (raised: boolean) => void;
}) {
  const offered = roleNames.filter((r) => r !== 'owner' && r !== currentRole);
  const [role, setRole] = useState<RoleName>(
    offered.includes('compliance_officer') ? 'compliance_officer' : (offered[0] ?? 'viewer'),
  );
  const allowed = durations.filter((d) => d.minutes <= maxHours * 60);
  const [minutes, setMinutes] = useState(allowed[0]?.minutes ?? 60);
  return (
    <AskDialog
      title="Ask for a role for a while"
      submitLabel="Request the elevation"
      live={live}
      onClose={onClose}
      ask={(reason) => ({
        kind: 'member.elevate',
        title: `Elevate me to ${roleLabels[role]} for ${durations.find((d) => d.minutes === minutes)?.label ?? `${minutes} minutes`}`,
        summary: reason,
        payload: { role, durationMinutes: minutes, reason },
      })}
    >
      <label htmlFor="elevate-role">Role</label>
      <select
        id="elevate-role"
        value={role}
        onChange={(e) => setRole(e.target.value as RoleName)}
        data-autofocus
      >
        {offered.map((r) => (
          <option key={r} value={r}>
            {roleLabels[r]}
          </option>
        ))}
      </select>
      <label htmlFor="elevate-duration">For</label>
      <select id="elevate-duration" value={minutes} onChange={(e) => setMinutes(Number(e.target.value))}>
        {allowed.map((d) => (
          <option key={d.minutes} value={d.minutes}>
            {d.label}
          </option>
        ))}
      </select>
      <p className="hint">
        This organization allows at most {maxHours} hours. The role applies once approved and goes back by
        itself when the time is up; an administrator can end it earlier.
      </p>
    </AskDialog>
  );
}
