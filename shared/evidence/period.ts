import { fail, ok, type Result } from '../result';

/**
 * Evidence periods are calendar days (`YYYY-MM-DD`, UTC), so they compare as text and mean the same
 * everywhere: a SOC 2 report "for 2026-01-01 to 2026-06-30" is about days, not instants.
 */
export type IsoDay = string;

const dayPattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `text` is a real calendar day written `YYYY-MM-DD` (2026-02-30 is not). */
export function isIsoDay(text: string): boolean {
  const match = dayPattern.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    year >= 1970 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day
  );
}

/** The UTC day of an instant. */
export function dayOf(ms: number): IsoDay {
  return new Date(ms).toISOString().slice(0, 10);
}

/** `day` moved by `days` (negative goes back). */
export function addDays(day: IsoDay, days: number): IsoDay {
  return dayOf(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000);
}

/** How many days a file expiring within counts as "expiring". */
export const EXPIRING_WITHIN_DAYS = 30;

export const evidenceStatuses = ['current', 'expiring', 'expired', 'superseded'] as const;
export type EvidenceStatus = (typeof evidenceStatuses)[number];

/**
 * A file's status on `today`. A file expiring on a day is still good on that day. A newer version
 * outranks everything: a superseded file is not what anyone should rely on, expired or not.
 */
export function evidenceStatus(
  file: { expiresOn: IsoDay | null; supersededBy: string | null },
  today: IsoDay,
): EvidenceStatus {
  if (file.supersededBy) return 'superseded';
  if (file.expiresOn === null) return 'current';
  if (file.expiresOn < today) return 'expired';
  if (file.expiresOn <= addDays(today, EXPIRING_WITHIN_DAYS)) return 'expiring';
  return 'current';
}

export interface PeriodInput {
  readonly from: IsoDay;
  readonly to: IsoDay;
  readonly expiresOn?: IsoDay | null;
}

/**
 * The rules for a file's period, said once for the platform (which enforces them) and the console's form
 * (which says why at once): real days, from on or before to, and an expiry no earlier than the period starts.
 */
export function checkEvidencePeriod(input: PeriodInput): Result<PeriodInput> {
  if (!isIsoDay(input.from) || !isIsoDay(input.to))
    return fail('bad-request', 'The period’s days must be real dates written YYYY-MM-DD.');
  if (input.from > input.to)
    return fail('bad-request', 'The period must start on or before the day it ends.');
  if (input.expiresOn !== undefined && input.expiresOn !== null) {
    if (!isIsoDay(input.expiresOn))
      return fail('bad-request', 'The expiry must be a real date written YYYY-MM-DD.');
    if (input.expiresOn < input.from)
      return fail('bad-request', 'The expiry cannot be before the period starts.');
  }
  return ok(input);
}
