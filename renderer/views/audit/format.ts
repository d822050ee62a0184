import { auditResourceTypeLabel } from '../../../shared/audit/actions';
import type { AuditEntry } from '../../stores/audit-store';
import { type Named, nameText } from '../../stores/directory-store';

/** Who an id is, from the tenant's directory (DirectoryState.name). */
export type NameOf = (id: string) => Named;

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

/** The actor by name where the directory knows the id; otherwise its kind and id, as before. */
export function actorText(actor: AuditEntry['actor'], nameOf: NameOf): string {
  const named = nameOf(actor.id);
  return named.kind === 'unknown' ? actorLabel(actor) : nameText(named);
}

/** Resources that are people or keys are the directory's too. */
export const namedResourceTypes: ReadonlySet<string> = new Set(['user', 'api_key']);

/** The resource in words: its type's name, then the person or key by name, or the id. */
export function resourceText(resource: AuditEntry['resource'], nameOf: NameOf): string {
  const type = auditResourceTypeLabel(resource.type) ?? resource.type;
  const named = namedResourceTypes.has(resource.type) ? nameOf(resource.id) : undefined;
  if (!named || named.kind === 'unknown') return `${type} ${resource.id}`;
  // A key's name already says it is one ("API key “ci” of …").
  return named.kind === 'api-key' ? nameText(named) : `${type}: ${nameText(named)}`;
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
