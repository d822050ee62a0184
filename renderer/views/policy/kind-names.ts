import { builtInKinds } from '../../../shared/approvals/kinds';
import { fixedLanes } from '../../../shared/approvals/lanes';
import { kindLabel } from '../approvals/format';

/** Words for the kinds a policy names; the code is shown beside them (the platform's messages use it). */
const policyKindLabels: Readonly<Record<string, string>> = {
  'policy.update': 'Policy change',
  'custom.*': 'Custom kinds (unless listed)',
};

export function policyKindLabel(kind: string): string {
  return policyKindLabels[kind] ?? kindLabel(kind);
}

/** Why a kind's row reads as it does, where a rule bites there. */
export function kindNote(kind: string): string | undefined {
  const fixed = fixedLanes[kind];
  if (fixed)
    return `Always ${fixed} in both environments: the policy changes only under the two-person rule.`;
  if (kind === 'member.role_change')
    return "A role is the organization's: a change takes the live lane in either environment.";
  if (kind === 'member.invite' || kind === 'member.elevate')
    return 'Takes the live lane in either environment; an invitation or elevation as owner or admin is always red.';
  if (kind.startsWith('member.') || kind === 'device_key.revoke')
    return "A membership is the organization's: it takes the live lane in either environment.";
  return undefined;
}

/** Built-in kinds first in their usual order, then the custom default, then named custom kinds. */
export function orderedKinds(kinds: readonly string[]): string[] {
  const rank = (kind: string) => {
    const builtIn = (builtInKinds as readonly string[]).indexOf(kind);
    if (builtIn >= 0) return builtIn;
    return kind === 'custom.*' ? builtInKinds.length : builtInKinds.length + 1;
  };
  return [...kinds].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
