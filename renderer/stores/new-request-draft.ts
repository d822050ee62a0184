import type { Policy } from '../../shared/api/approvals';
import { builtInPayloads, kindPermission } from '../../shared/approvals/kinds';
import { lanePreview } from '../../shared/approvals/lanes';
import type { CallInput } from '../../shared/contract/contract';
import type { Environment } from '../../shared/domain/environments';
import { type Permission, type RoleName, roleAllows, roleNames } from '../../shared/domain/permissions';
import { checkEvidencePeriod } from '../../shared/evidence/period';
import { hasRefusedCharacters } from '../../shared/text/free-text';
import { checkPayloadText, payloadProblemText } from './json-payload';

/**
 * The New request form's fields and what they mean: which kinds a person may raise here, the payload each
 * kind's fields make, and what is wrong with them, said per field. Pure, so the store and its tests
 * share it. The fields are flat, so switching kinds keeps what was typed for the other one.
 */

/** The kinds this form raises. A policy change is proposed from the Policy screen, beside its diff. */
export const formKinds = [
  'member.role_change',
  'api_key.create',
  'api_key.rotate',
  'api_key.revoke',
  'evidence.delete',
  'audit.retention',
  'custom',
] as const;
export type FormKind = (typeof formKinds)[number];

export interface Draft {
  readonly kind: FormKind | '';
  readonly title: string;
  /** The justification: why the change is needed. */
  readonly summary: string;
  readonly userId: string;
  readonly role: RoleName | '';
  readonly keyName: string;
  readonly scopes: readonly Permission[];
  readonly expiresInDays: string;
  readonly keyId: string;
  readonly graceHours: string;
  readonly evidenceId: string;
  readonly retentionDays: string;
  /** The `<name>` of `custom.<name>`. */
  readonly customName: string;
  readonly payloadText: string;
  /** The period the attached evidence supports (YYYY-MM-DD, both or neither) and the day it expires. */
  readonly evidenceFrom: string;
  readonly evidenceTo: string;
  readonly evidenceExpires: string;
  /** The executed request this one undoes. */
  readonly reverses: string | null;
}
export type DraftField = Exclude<keyof Draft, 'reverses'>;
export type DraftProblems = Partial<Record<DraftField, string>>;

export const emptyDraft: Draft = {
  kind: '',
  title: '',
  summary: '',
  userId: '',
  role: '',
  keyName: '',
  scopes: [],
  expiresInDays: '',
  keyId: '',
  graceHours: '24',
  evidenceId: '',
  retentionDays: '',
  customName: '',
  payloadText: '{\n  \n}',
  evidenceFrom: '',
  evidenceTo: '',
  evidenceExpires: '',
  reverses: null,
};

const isRoleName = (role: string): role is RoleName => (roleNames as readonly string[]).includes(role);

/** Whether someone with `role` (an API key reads `api-key`) may raise `kind`; why not, otherwise. */
export function kindRefusal(kind: FormKind, role: string): string | null {
  if (role === 'api-key') return kind === 'custom' ? null : 'integrations raise custom kinds only';
  if (!isRoleName(role) || !roleAllows(role, 'approvals:request')) return 'your role may not raise requests';
  if (kind === 'custom') return null;
  const needed = kindPermission[kind];
  return roleAllows(role, needed) ? null : `needs ${needed}`;
}

const CUSTOM_NAME = /^[a-z][a-z0-9_.-]{0,62}$/;

/** The kind the platform will be asked for; a custom kind whose name is not valid yet previews as any custom. */
export function requestKindOf(draft: Pick<Draft, 'kind' | 'customName'>): string | null {
  if (draft.kind === '') return null;
  if (draft.kind !== 'custom') return draft.kind;
  return CUSTOM_NAME.test(draft.customName) ? `custom.${draft.customName}` : 'custom.*';
}

/** The lane and approvals the request would take under the tenant's policy, as the platform will decide. */
export function previewOf(draft: Draft, policy: Policy | null, environment: Environment) {
  const kind = requestKindOf(draft);
  return kind && policy ? lanePreview(policy, kind, environment) : null;
}

export type CreateInput = Omit<CallInput<'approvals.create'>, 'profile' | 'tenant' | 'evidenceIds'>;

/** What every file of the submit is uploaded with: its period and expiry, when the person gave them. */
export interface EvidencePeriodInput {
  readonly periodFrom?: string;
  readonly periodTo?: string;
  readonly expiresOn?: string;
}

export type CheckedDraft =
  | { readonly ok: true; readonly request: CreateInput; readonly evidence: EvidencePeriodInput }
  | { readonly ok: false; readonly problems: DraftProblems };

const WHOLE = /^\s*\d+\s*$/;

function wholeNumber(text: string, min: number, max: number): number | null {
  if (!WHOLE.test(text)) return null;
  const n = Number(text.trim());
  return n >= min && n <= max ? n : null;
}

/** The payload the kind's fields make, or what is wrong with them (one message per field). */
function payloadOf(
  draft: Draft,
  problems: DraftProblems,
  isPerson: boolean,
): Record<string, unknown> | undefined {
  switch (draft.kind) {
    case 'member.role_change':
      if (!draft.userId) problems.userId = 'Choose the member whose role changes.';
      if (!draft.role) problems.role = 'Choose the new role.';
      return { userId: draft.userId, role: draft.role };
    case 'api_key.create': {
      const name = draft.keyName.trim();
      if (name === '' || name.length > 100) problems.keyName = 'Name the key (at most 100 characters).';
      else if (hasRefusedCharacters(name, false))
        problems.keyName = 'The name holds control or bidirectional formatting characters.';
      if (draft.scopes.length === 0) problems.scopes = 'Choose at least one scope.';
      if (draft.expiresInDays.trim() === '') return { name, scopes: [...draft.scopes] };
      const days = wholeNumber(draft.expiresInDays, 1, 3650);
      if (days === null)
        problems.expiresInDays = 'Enter a whole number of days from 1 to 3650, or leave it empty.';
      return { name, scopes: [...draft.scopes], expiresInDays: days ?? 0 };
    }
    case 'api_key.rotate': {
      if (!draft.keyId) problems.keyId = 'Choose the key to rotate.';
      const hours = Number(draft.graceHours.trim());
      const valid = draft.graceHours.trim() !== '' && Number.isFinite(hours) && hours >= 0 && hours <= 720;
      if (!valid) problems.graceHours = 'Enter the hours the old secret keeps working: 0 to 720.';
      return { keyId: draft.keyId, gracePeriodSeconds: valid ? Math.round(hours * 3600) : 0 };
    }
    case 'api_key.revoke':
      if (!draft.keyId) problems.keyId = 'Choose the key to revoke.';
      return { keyId: draft.keyId };
    case 'evidence.delete':
      if (!draft.evidenceId) problems.evidenceId = 'Choose the evidence file to delete.';
      return { evidenceId: draft.evidenceId };
    case 'audit.retention': {
      const days = wholeNumber(draft.retentionDays, 30, 36_500);
      if (days === null) problems.retentionDays = 'Enter a whole number of days from 30 to 36500.';
      return { days: days ?? 0 };
    }
    case 'custom': {
      if (!CUSTOM_NAME.test(draft.customName))
        problems.customName =
          'Name the kind: a lowercase letter first, then letters, digits, ".", "_" or "-" (at most 63).';
      const checked = checkPayloadText(draft.payloadText);
      if (!checked.ok) problems.payloadText = payloadProblemText(checked);
      return checked.ok ? checked.value : undefined;
    }
    case '':
      problems.kind = isPerson ? 'Choose what kind of change to request.' : 'Choose the kind.';
      return undefined;
  }
}

/** The draft as the request `approvals.create` takes, or every problem with it, field by field. */
export function checkDraft(draft: Draft, { isPerson }: { isPerson: boolean }): CheckedDraft {
  const problems: DraftProblems = {};
  const title = draft.title.trim();
  if (title === '') problems.title = 'Give the request a title.';
  else if (title.length > 200) problems.title = 'Keep the title to 200 characters.';
  else if (hasRefusedCharacters(title, false))
    problems.title = 'The title holds control or bidirectional formatting characters.';
  const summary = draft.summary.trim();
  if (isPerson && summary === '') problems.summary = 'Say why this change is needed.';
  else if (summary.length > 2000) problems.summary = 'Keep the justification to 2000 characters.';
  else if (hasRefusedCharacters(summary, true))
    problems.summary = 'The justification holds control or bidirectional formatting characters.';
  const payload = payloadOf(draft, problems, isPerson);
  const evidence = evidencePeriodOf(draft, problems);
  const kind = requestKindOf(draft);
  if (Object.keys(problems).length > 0 || !payload || !kind) return { ok: false, problems };
  if (draft.kind !== 'custom' && draft.kind !== '') {
    // The platform's own schema has the last word; the fields above should already satisfy it.
    const parsed = builtInPayloads[draft.kind].safeParse(payload);
    if (!parsed.success)
      return { ok: false, problems: { kind: parsed.error.issues[0]?.message ?? 'The payload is invalid.' } };
  }
  return {
    ok: true,
    request: {
      kind,
      title,
      summary,
      payload,
      ...(draft.reverses ? { reverses: draft.reverses } : {}),
    },
    evidence,
  };
}

/**
 * The evidence period as typed, checked by the platform's own rules: both days or neither (then the
 * platform takes the upload day), and an expiry, if any, not before the period starts.
 */
function evidencePeriodOf(draft: Draft, problems: DraftProblems): EvidencePeriodInput {
  const from = draft.evidenceFrom.trim();
  const to = draft.evidenceTo.trim();
  const expires = draft.evidenceExpires.trim();
  if (from === '' && to === '') {
    if (expires !== '') {
      const checked = checkEvidencePeriod({ from: expires, to: expires });
      if (!checked.ok) problems.evidenceExpires = 'Enter the expiry as a date.';
    }
    return expires ? { expiresOn: expires } : {};
  }
  if (from === '') problems.evidenceFrom = 'Give the day the period starts, or leave both days empty.';
  if (to === '') problems.evidenceTo = 'Give the day the period ends, or leave both days empty.';
  if (from === '' || to === '') return {};
  const checked = checkEvidencePeriod({ from, to, expiresOn: expires || null });
  if (!checked.ok) {
    if (/expiry/.test(checked.error.message)) problems.evidenceExpires = checked.error.message;
    else if (/start on or before/.test(checked.error.message)) problems.evidenceTo = checked.error.message;
    else problems.evidenceFrom = checked.error.message;
    return {};
  }
  return { periodFrom: from, periodTo: to, ...(expires ? { expiresOn: expires } : {}) };
}

/** The fields in the order the form shows them: the first with a problem gets the focus. */
export const fieldOrder: readonly DraftField[] = [
  'kind',
  'customName',
  'userId',
  'role',
  'keyName',
  'scopes',
  'expiresInDays',
  'keyId',
  'graceHours',
  'evidenceId',
  'retentionDays',
  'payloadText',
  'title',
  'summary',
  'evidenceFrom',
  'evidenceTo',
  'evidenceExpires',
];
