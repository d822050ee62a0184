import type { AuditEntry } from '../../stores/audit-store';

/** Audit times are shown in UTC, as they are stored and signed: auditors compare them across zones. */
export function utcTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function actorLabel(actor: AuditEntry['actor']): string {
  const kinds: Record<AuditEntry['actor']['type'], string> = {
    user: 'User',
    'api-key': 'API key',
    system: 'System',
    anonymous: 'Anonymous',
  };
  return `${kinds[actor.type]} ${actor.id}`;
}

export function resourceLabel(resource: AuditEntry['resource']): string {
  return `${resource.type} ${resource.id}`;
}

export function byteSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** A value from an entry's change, for people: strings as they are, the rest as compact JSON. */
export function valueText(value: unknown): string {
  if (value === undefined) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2) ?? String(value);
}

/** A `datetime-local` value read as UTC (the screen shows UTC), as an ISO instant; '' stays ''. */
export function utcInputToIso(value: string): string {
  if (!value) return '';
  const date = new Date(`${value.length === 16 ? `${value}:00` : value}Z`);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

export function isoToUtcInput(iso: string): string {
  return iso ? iso.slice(0, 16) : '';
}
