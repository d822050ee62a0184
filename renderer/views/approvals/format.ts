import type { Lane } from '../../../shared/approvals/kinds';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Compact age for the queue ("5 min", "3 h", "2 d"); a clock slightly behind the platform reads "now". */
export function ageOf(createdAt: string, now: number): string {
  const ms = now - Date.parse(createdAt);
  if (!(ms >= MINUTE)) return 'now';
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)} min`;
  if (ms < DAY) return `${Math.floor(ms / HOUR)} h`;
  return `${Math.floor(ms / DAY)} d`;
}

export function dateTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

export const laneLabels: Readonly<Record<Lane, string>> = {
  green: 'Green',
  yellow: 'Yellow',
  red: 'Red',
};

/** What each lane asks of an approver, said in words wherever the lane is shown. */
export const laneMeaning: Readonly<Record<Lane, string>> = {
  green: 'carried out without approval',
  yellow: 'needs one approval',
  red: 'needs several approvals and a one-time code',
};

export const statusLabels: Readonly<Record<string, string>> = {
  pending: 'Pending',
  executed: 'Executed',
  failed: 'Failed',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
  expired: 'Expired',
  closed: 'Closed (any)',
  all: 'All',
};

export const kindLabels: Readonly<Record<string, string>> = {
  'member.role_change': 'Member role change',
  'api_key.create': 'API key: create',
  'api_key.rotate': 'API key: rotate',
  'api_key.revoke': 'API key: revoke',
  'audit.retention': 'Audit retention',
  'evidence.delete': 'Evidence: delete',
  'policy.update': 'Policy change',
  'member.invite': 'Member: invite',
  'member.remove': 'Member: remove',
  'member.suspend': 'Member: suspend',
  'member.resume': 'Member: resume',
  'member.elevate': 'Member: elevate for a time',
  'api_key.transfer': 'API key: hand over',
  'device_key.revoke': 'Device key: revoke',
};

export function kindLabel(kind: string): string {
  return kindLabels[kind] ?? kind;
}

/** JSON text indented for reading; text that is not JSON is shown as it is. */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
