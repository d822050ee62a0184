import type { Policy } from '../../shared/api/approvals';
import { type Lane, PolicyChange } from '../../shared/approvals/kinds';
import { validateLanes } from '../../shared/approvals/lanes';
import type { Environment } from '../../shared/domain/environments';
import { hasRefusedCharacters } from '../../shared/text/free-text';

/**
 * A proposed policy change as the editor holds it, and what it means: the `policy.update` payload it
 * makes, what the platform would refuse in it (in the platform's own words: the checks are the shared
 * ones the platform runs), and the before/after rows of its diff. Pure, so the store and the screen agree.
 */

export type KindLanes = { readonly test: Lane; readonly live: Lane };

/** What happens to a webhook target: the environment and address stay as typed whatever is chosen. */
export interface WebhookDraft {
  readonly action: 'keep' | 'set' | 'remove';
  readonly environment: Environment;
  readonly url: string;
}

export interface PolicyDraft {
  readonly lanes: Readonly<Record<string, KindLanes>>;
  /** As typed: a half-typed number is kept, and refused with a reason, never silently dropped. */
  readonly redApprovals: string;
  readonly expiryDays: string;
  readonly webhook: WebhookDraft;
  readonly title: string;
  /** The justification. */
  readonly summary: string;
}

export type DraftField = 'lanes' | 'redApprovals' | 'expiryDays' | 'webhook' | 'title' | 'summary' | 'change';

export interface DraftProblem {
  readonly field: DraftField;
  /** For a lane problem: the kind whose lanes are refused. */
  readonly kind?: string;
  readonly message: string;
  /** One of the policy's rules (shown where it bites as it is typed), not a field still to fill in. */
  readonly rule?: true;
}

export const DEFAULT_POLICY_TITLE = 'Change the approval policy';
/** The main process's words when a person sends a request without saying why. */
export const JUSTIFICATION_REQUIRED = 'Say why this change is needed: the justification is required.';

export function draftOf(policy: Policy): PolicyDraft {
  return {
    lanes: { ...policy.lanes },
    redApprovals: String(policy.redApprovals),
    expiryDays: String(policy.expiryDays),
    webhook: { action: 'keep', environment: 'live', url: '' },
    title: DEFAULT_POLICY_TITLE,
    summary: '',
  };
}

const sameLanes = (a: KindLanes | undefined, b: KindLanes | undefined) =>
  a?.test === b?.test && a?.live === b?.live;

/** A whole number as typed, or NaN. */
function whole(text: string): number {
  return /^\s*\d{1,4}\s*$/.test(text) ? Number(text) : Number.NaN;
}

/** The `policy.update` payload: only what differs from the policy in force. */
export function changeOf(policy: Policy, draft: PolicyDraft): Record<string, unknown> {
  const change: Record<string, unknown> = {};
  const lanes = Object.fromEntries(
    Object.entries(draft.lanes).filter(([kind, lane]) => !sameLanes(lane, policy.lanes[kind])),
  );
  if (Object.keys(lanes).length > 0) change.lanes = lanes;
  const red = whole(draft.redApprovals);
  if (red !== policy.redApprovals) change.redApprovals = red;
  const expiry = whole(draft.expiryDays);
  if (expiry !== policy.expiryDays) change.expiryDays = expiry;
  const { action, environment, url } = draft.webhook;
  if (action === 'set') change.webhook = { environment, url: url.trim() };
  if (action === 'remove') change.webhook = { environment, url: null };
  return change;
}

const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

/**
 * What the platform would refuse in this draft, field by field. The three rules of the two-person rule
 * (N at least 2, policy.update always red, live never below test) come from the same shared checks the
 * platform applies, so the words are the ones it would answer with.
 */
export function checkDraft(policy: Policy, draft: PolicyDraft): DraftProblem[] {
  const problems: DraftProblem[] = [];
  for (const [kind, lanes] of Object.entries(draft.lanes)) {
    if (sameLanes(lanes, policy.lanes[kind])) continue;
    const checked = validateLanes({ [kind]: lanes });
    if (!checked.ok) problems.push({ field: 'lanes', kind, message: checked.error.message, rule: true });
  }
  const numbers = [
    { field: 'redApprovals', text: draft.redApprovals, what: 'a whole number of approvals' },
    { field: 'expiryDays', text: draft.expiryDays, what: 'a whole number of days' },
  ] as const;
  for (const { field, text, what } of numbers) {
    const value = whole(text);
    if (Number.isNaN(value)) {
      problems.push({ field, message: `Enter ${what}.` });
      continue;
    }
    if (value === policy[field]) continue;
    const parsed = PolicyChange.safeParse({ [field]: value });
    const issue = parsed.success ? undefined : parsed.error.issues[0];
    if (issue) problems.push({ field, message: numberMessage(field, issue), rule: true });
  }
  const change = changeOf(policy, draft);
  if (draft.webhook.action === 'set') {
    const parsed = PolicyChange.safeParse({ webhook: change.webhook });
    if (!parsed.success || draft.webhook.url.trim() === '')
      problems.push({
        field: 'webhook',
        message: 'Enter the full address of the target, such as https://hooks.example.com/compliance.',
      });
  }
  const title = draft.title.trim();
  if (title === '') problems.push({ field: 'title', message: 'Give the request a title.' });
  else if (title.length > 200)
    problems.push({ field: 'title', message: 'Keep the title to 200 characters.' });
  else if (hasRefusedCharacters(title, false))
    problems.push({ field: 'title', message: 'The title may not contain control or direction characters.' });
  const summary = draft.summary.trim();
  if (summary === '') problems.push({ field: 'summary', message: JUSTIFICATION_REQUIRED });
  else if (summary.length > 2000)
    problems.push({ field: 'summary', message: 'Keep the justification to 2,000 characters.' });
  else if (hasRefusedCharacters(summary, true))
    problems.push({
      field: 'summary',
      message: 'The justification may not contain control or direction characters.',
    });
  if (Object.keys(change).length === 0) {
    const parsed = PolicyChange.safeParse(change);
    const message = parsed.success ? 'Nothing changes.' : (parsed.error.issues[0]?.message ?? '');
    problems.push({
      field: 'change',
      message: `${sentence(message)} Change a lane, N, the expiry or a webhook.`,
    });
  }
  return problems;
}

function numberMessage(
  field: 'redApprovals' | 'expiryDays',
  issue: { code: string; message: string; minimum?: unknown; maximum?: unknown },
): string {
  if (field === 'redApprovals') {
    // The rule that keeps two people in every red decision: said in the schema's (so the platform's) words.
    if (issue.code === 'too_small') return sentence(issue.message);
    if (issue.code === 'too_big') return `The red lane asks for at most ${String(issue.maximum)} approvals.`;
  }
  if (field === 'expiryDays' && (issue.code === 'too_small' || issue.code === 'too_big'))
    return 'Requests expire after 1 to 90 days.';
  return sentence(issue.message);
}

/** One line of a policy change's diff. */
export type DiffRow =
  | {
      readonly what: 'lane';
      readonly kind: string;
      readonly environment: Environment;
      readonly before: Lane | undefined;
      readonly after: Lane;
    }
  | {
      readonly what: 'redApprovals' | 'expiryDays';
      readonly before: number;
      readonly after: number;
    }
  | { readonly what: 'webhook'; readonly environment: Environment; readonly after: string | null };

/** What a change does to the policy in force, one row per lane, number or target it touches. */
export function diffOf(policy: Policy, change: PolicyChange): DiffRow[] {
  const rows: DiffRow[] = [];
  for (const [kind, lanes] of Object.entries(change.lanes ?? {})) {
    for (const environment of ['test', 'live'] as const) {
      const before = policy.lanes[kind]?.[environment];
      if (before !== lanes[environment])
        rows.push({ what: 'lane', kind, environment, before, after: lanes[environment] });
    }
  }
  if (change.redApprovals !== undefined && change.redApprovals !== policy.redApprovals)
    rows.push({ what: 'redApprovals', before: policy.redApprovals, after: change.redApprovals });
  if (change.expiryDays !== undefined && change.expiryDays !== policy.expiryDays)
    rows.push({ what: 'expiryDays', before: policy.expiryDays, after: change.expiryDays });
  if (change.webhook)
    rows.push({ what: 'webhook', environment: change.webhook.environment, after: change.webhook.url });
  return rows;
}

/** The draft's diff while it is being edited: numbers not yet whole are left out until they are. */
export function draftDiff(policy: Policy, draft: PolicyDraft): DiffRow[] {
  const change = changeOf(policy, draft) as PolicyChange;
  const numbers = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? undefined : n);
  return diffOf(policy, {
    ...change,
    redApprovals: numbers(change.redApprovals),
    expiryDays: numbers(change.expiryDays),
  });
}
