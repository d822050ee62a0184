import { EXPORT_ACTION, KEY_ANNOUNCEMENT_ACTION } from './format';

/**
 * Every action and resource type the platform writes into its audit log, each with the words a person
 * reads, so the console offers them as lists rather than asking for exact strings. The platform's code
 * is the source: test/shared/audit/actions.test.ts reads platform/ and fails when it writes one that is
 * missing here (or this list names one it no longer writes).
 */

export interface KnownAction {
  readonly action: string;
  readonly label: string;
}

export interface ActionGroup {
  readonly group: string;
  readonly actions: readonly KnownAction[];
}

export const auditActionGroups: readonly ActionGroup[] = [
  {
    group: 'Sign-in',
    actions: [
      { action: 'auth.sign_in', label: 'Signed in (or failed to)' },
      { action: 'auth.sign_in_throttled', label: 'Sign-in locked after failures' },
    ],
  },
  {
    group: 'Members',
    actions: [
      { action: 'member.add', label: 'Member added' },
      { action: 'member.role_change', label: 'Role changed' },
      { action: 'member.invite', label: 'Invited (enrollment link issued)' },
      { action: 'invitation.sent', label: 'Invitation mailed to the invited address' },
      { action: 'invitation.send_failed', label: 'Invitation could not be mailed (withdrawn)' },
      { action: 'member.enroll_refused', label: 'Enrollment refused (wrong code)' },
      { action: 'member.invite_revoke', label: 'Invitation revoked' },
      { action: 'member.suspend', label: 'Member suspended' },
      { action: 'member.resume', label: 'Member resumed' },
      { action: 'member.remove', label: 'Member removed' },
      { action: 'member.elevate', label: 'Elevated for a time' },
      { action: 'member.elevation_end', label: 'Elevation ended' },
    ],
  },
  {
    group: 'Access reviews',
    actions: [
      { action: 'review.start', label: 'Review campaign started (grants snapshotted)' },
      { action: 'review.decide', label: 'Review item decided' },
      { action: 'review.decide_refused', label: 'Own access review refused' },
      { action: 'review.close', label: 'Review campaign closed (evidence pack written)' },
    ],
  },
  {
    group: 'API keys and device keys',
    actions: [
      { action: 'api_key.create', label: 'API key created' },
      { action: 'api_key.rotate', label: 'API key rotated' },
      { action: 'api_key.revoke', label: 'API key revoked' },
      { action: 'api_key.transfer', label: 'API key handed over' },
      { action: 'api_key.use_refused', label: 'Dead API key refused' },
      { action: 'device_key.register', label: 'Device key registered' },
      { action: 'device_key.revoke', label: 'Device key revoked' },
    ],
  },
  {
    group: 'Approvals',
    actions: [
      { action: 'approval.request', label: 'Request raised' },
      { action: 'approval.decide', label: 'Decision signed (approve or reject)' },
      { action: 'approval.reject', label: 'Rejected, with the reason' },
      { action: 'approval.withdraw', label: 'Withdrawn' },
      { action: 'approval.comment', label: 'Comment added' },
      { action: 'approval.expire', label: 'Expired' },
      { action: 'approval.execute', label: 'Carried out' },
      { action: 'approval.fail', label: 'Failed to carry out' },
      { action: 'approval.break_glass', label: "Operator's break-glass co-signature" },
      { action: 'approval.decide_refused', label: 'Decision refused' },
      { action: 'approval.step_up_failed', label: 'Wrong one-time code' },
      { action: 'approval.step_up_locked', label: 'Red-lane approving locked' },
      { action: 'approval.step_up_refused', label: 'Approval refused while locked' },
    ],
  },
  {
    group: 'Evidence',
    actions: [
      { action: 'evidence.upload', label: 'Evidence uploaded' },
      { action: 'evidence.supersede', label: 'Evidence replaced by a newer version' },
      { action: 'evidence.supersede_refused', label: 'Replacing evidence refused' },
      { action: 'evidence.download_url', label: 'Evidence download link issued' },
      { action: 'evidence.delete', label: 'Evidence deleted' },
    ],
  },
  {
    group: 'Policy and webhooks',
    actions: [
      { action: 'policy.update', label: 'Approval policy changed' },
      { action: 'policy.update_refused', label: 'Direct policy change refused' },
      { action: 'policy.audit_retention', label: 'Audit retention changed' },
      { action: 'webhook.configure', label: 'Webhook target changed' },
    ],
  },
  {
    group: 'Audit log',
    actions: [
      { action: EXPORT_ACTION, label: 'Log exported' },
      { action: KEY_ANNOUNCEMENT_ACTION, label: 'Signing key rotated' },
    ],
  },
];

export const auditActions: readonly string[] = auditActionGroups.flatMap((g) =>
  g.actions.map((a) => a.action),
);

/** The kinds of thing an entry is about (`resource.type`), with the words a person reads. */
export const auditResourceTypes: readonly { readonly type: string; readonly label: string }[] = [
  { type: 'approval_request', label: 'Approval request' },
  { type: 'user', label: 'Person' },
  { type: 'api_key', label: 'API key' },
  { type: 'device_key', label: 'Device key' },
  { type: 'invitation', label: 'Invitation' },
  { type: 'review_campaign', label: 'Access review campaign' },
  { type: 'review_item', label: 'Access review item' },
  { type: 'evidence', label: 'Evidence file' },
  { type: 'organization', label: 'Organization (policy)' },
  { type: 'webhook', label: 'Webhook target' },
  { type: 'audit_log', label: 'Audit log' },
  { type: 'audit_signing_key', label: 'Audit signing key' },
];

const actionLabels: ReadonlyMap<string, string> = new Map(
  auditActionGroups.flatMap((g) => g.actions.map((a) => [a.action, a.label] as const)),
);

/** The words for an action, or undefined for one this console does not know (an older or newer platform). */
export function auditActionLabel(action: string): string | undefined {
  return actionLabels.get(action);
}

export function auditResourceTypeLabel(type: string): string | undefined {
  return auditResourceTypes.find((r) => r.type === type)?.label;
}
