import type { ApiKey } from '../../stores/api-keys-store';

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Time left as a clock ("23:59:41"); past two days, whole days in front ("6 d 23:59:41"), so a 24-hour
 * grace period reads in hours even when the platform's clock runs a little ahead.
 */
export function countdown(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = total >= 2 * 86_400 ? Math.floor(total / 86_400) : 0;
  const hours = Math.floor((total - days * 86_400) / 3600);
  const clock = `${pad(hours)}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
  return days > 0 ? `${days} d ${clock}` : clock;
}

const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The same time in words, to the minute, for screen readers (a ticking clock is noise to them). */
export function spokenCountdown(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const days = minutes >= 2 * 1440 ? Math.floor(minutes / 1440) : 0;
  const hours = Math.floor((minutes - days * 1440) / 60);
  const parts = [
    [days, 'day'],
    [hours, 'hour'],
    [minutes % 60, 'minute'],
  ] as const;
  const said = parts.filter(([n]) => n > 0).map(([n, word]) => unit(n, word));
  return said.length === 0 ? 'less than a minute' : said.join(' ');
}

/** A date and time to the minute: the table has no room for seconds nobody needs. */
export function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export const statusLabels: Readonly<Record<ApiKey['status'], string>> = {
  active: 'Active',
  grace: 'In grace',
  expired: 'Expired',
  revoked: 'Revoked',
};

/** The grace periods a rotation offers, in seconds. */
export const graceChoices = [
  { seconds: 0, label: 'None', hint: 'the old key stops at once' },
  { seconds: 3600, label: '1 hour', hint: '' },
  { seconds: 24 * 3600, label: '24 hours', hint: 'time to roll the new key out' },
  { seconds: 7 * 24 * 3600, label: '7 days', hint: '' },
] as const;
