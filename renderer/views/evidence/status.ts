import type { EvidenceStatus } from '../../../shared/evidence/period';

export const statusLabels: Readonly<Record<EvidenceStatus, string>> = {
  current: 'Current',
  expiring: 'Expiring ≤ 30 days',
  expired: 'Expired',
  superseded: 'Superseded',
};

/** A day (YYYY-MM-DD) in the person's own way of writing dates, read as that calendar day everywhere. */
export function dayText(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(date.getTime())
    ? day
    : date.toLocaleDateString(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
}

/** A month (YYYY-MM), short: "Mar 2026". */
export function monthText(month: string): string {
  const date = new Date(`${month}-01T00:00:00Z`);
  return date.toLocaleDateString(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** A period as one phrase; a single day reads as that day. */
export function periodText(period: { from: string; to: string }): string {
  return period.from === period.to ? dayText(period.from) : `${dayText(period.from)} – ${dayText(period.to)}`;
}
