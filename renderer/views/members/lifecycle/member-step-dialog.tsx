import type { Member } from '../../../../shared/api/organizations';
import { AskDialog } from './ask-dialog';

export type MemberStep = 'suspend' | 'resume' | 'remove';

const words: Record<MemberStep, { title: string; submit: string; says: string }> = {
  suspend: {
    title: 'Suspend a member',
    submit: 'Request the suspension',
    says: 'A suspended member is refused everywhere in this organization, and their API keys with them, until resumed.',
  },
  resume: {
    title: 'Resume a member',
    submit: 'Request the resumption',
    says: 'The member gets their role back.',
  },
  remove: {
    title: 'Remove a member',
    submit: 'Request the removal',
    says: 'The membership ends; the person’s sessions and device keys are revoked at once. Their API keys stop working and are listed for hand-over. History keeps their name.',
  },
};

/** Suspend, resume or remove a member: a request of that kind, with a reason. */
export function MemberStepDialog({
  member,
  step,
  live,
  onClose,
}: {
  member: Member;
  step: MemberStep;
  live: boolean;
  onClose: (raised: boolean) => void;
}) {
  const w = words[step];
  return (
    <AskDialog
      title={w.title}
      submitLabel={w.submit}
      live={live}
      onClose={onClose}
      ask={(reason) => ({
        kind: `member.${step}`,
        title: `${step[0]?.toUpperCase()}${step.slice(1)} ${member.displayName}`,
        summary: reason,
        payload: { userId: member.userId },
      })}
    >
      <p>
        <strong>{member.displayName}</strong> ({member.email})
      </p>
      <p className="hint">{w.says}</p>
    </AskDialog>
  );
}
