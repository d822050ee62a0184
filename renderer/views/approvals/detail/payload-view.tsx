import type { ReactNode } from 'react';
import { PersonName } from '../../../components/person-name';

/** Plain names for the fields of the writes the platform carries out itself. */
const fieldLabels: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'member.role_change': { userId: 'Member', role: 'New role' },
  'api_key.create': { name: 'Key name', scopes: 'Scopes', expiresInDays: 'Expires after (days)' },
  'api_key.rotate': { keyId: 'Key', gracePeriodSeconds: 'Old secret keeps working for' },
  'api_key.revoke': { keyId: 'Key to revoke' },
  'audit.retention': { days: 'Keep audit entries for (days)' },
  'evidence.delete': { evidenceId: 'Evidence to delete' },
};

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 120 ? `${minutes} min` : `${(minutes / 60).toFixed(1)} h`;
}

/** Fields that hold a person's or a key's id: shown by name, the id a click away. */
const namedFields: ReadonlySet<string> = new Set(['userId', 'keyId']);

function plain(value: unknown, field?: string): ReactNode {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string' && field && namedFields.has(field)) return <PersonName id={value} />;
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number' && field === 'gracePeriodSeconds') return duration(value);
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null))
    return value.length === 0 ? '(none)' : value.map(String).join(', ');
  return <pre className="payload__json">{JSON.stringify(value, null, 2)}</pre>;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A payload that states its own before and after: shown side by side, changed fields marked in words. */
function BeforeAfter({ before, after }: { before: Record<string, unknown>; after: Record<string, unknown> }) {
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return (
    <table className="table payload__diff">
      <caption className="visually-hidden">Before and after</caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {fields.map((f) => {
          const changed = JSON.stringify(before[f]) !== JSON.stringify(after[f]);
          return (
            <tr key={f} className={changed ? 'payload__changed' : undefined}>
              <th scope="row">
                {f}
                {changed && <span className="payload__tag"> (changed)</span>}
              </th>
              <td>{plain(before[f])}</td>
              <td>{plain(after[f])}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** What approving would do, readable: named fields for built-in kinds, keys and values for the rest. */
export function PayloadView({ kind, payload }: { kind: string; payload: Record<string, unknown> }) {
  const { before, after, ...rest } = payload;
  if (isRecord(before) && isRecord(after) && Object.keys(rest).length === 0)
    return <BeforeAfter before={before} after={after} />;
  const labels = fieldLabels[kind] ?? {};
  const entries = Object.entries(payload);
  if (entries.length === 0) return <p className="hint">This request carries no payload.</p>;
  return (
    <dl className="facts">
      {entries.map(([key, value]) => (
        <div key={key} className="facts__item">
          <dt>{labels[key] ?? key}</dt>
          <dd>{plain(value, key)}</dd>
        </div>
      ))}
    </dl>
  );
}
