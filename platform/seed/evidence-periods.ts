import { createHash } from 'node:crypto';
import { addDays, dayOf } from '../../shared/evidence/period';

/** The period, expiry and predecessor a seeded file is uploaded with. */
export interface SeededPeriod {
  readonly periodFrom: string;
  readonly periodTo: string;
  readonly expiresOn?: string;
}

/** A number from 0 to n-1 fixed by `text`: the same file gets the same period on every seed. */
function pick(text: string, n: number): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) % n;
}

/** How long a seeded file covers (days before its upload) and how long it stays good (days after). */
const spans = [7, 30, 30, 90, 90, 180] as const;
const lifetimes = [null, 20, 40, 60, 75, 90, 180, 365] as const;

/**
 * A seeded file's period: the span before it was uploaded that it is evidence for, and an expiry some
 * months after, chosen by its name so that a lived-in tenant has files current, expiring within 30 days,
 * expired and without expiry, spread over the year the coverage chart shows.
 */
export function seededPeriod(name: string, uploadedAt: number): SeededPeriod {
  const day = dayOf(uploadedAt);
  const span = spans[pick(`span ${name}`, spans.length)] as number;
  const lifetime = lifetimes[pick(`life ${name}`, lifetimes.length)] ?? null;
  return {
    periodFrom: addDays(day, -span),
    periodTo: day,
    ...(lifetime === null ? {} : { expiresOn: addDays(day, lifetime) }),
  };
}

/**
 * The series a file belongs to: its name without numbers and versions ("integration tests run 1801.json"
 * and "… 1802.json" are one series). A newer file of a series supersedes the one before it, as a team
 * replacing last run's report with this run's.
 */
export function seriesOf(name: string): string {
  return name.toLowerCase().replace(/v?\d+([._-]\d+)*/g, '#');
}
