import { PersonName } from '../../components/person-name';
import type { ApiKey } from '../../stores/api-keys-store';
import { GraceCountdown } from './grace-countdown';
import { statusLabels, when } from './key-format';

interface KeyTableProps {
  readonly keys: readonly ApiKey[];
  /** The key a write is under way for: its buttons wait. */
  readonly busyKeyId: string | null;
  readonly onRotate: (key: ApiKey) => void;
  readonly onRevoke: (key: ApiKey) => void;
}

/** The tenant's keys, newest first; only an active key can be rotated, and a revoked one is history. */
export function KeyTable({ keys, busyKeyId, onRotate, onRevoke }: KeyTableProps) {
  const sorted = [...keys].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <table className="keys-table">
      <caption className="visually-hidden">API keys of this tenant</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Scopes</th>
          <th scope="col">Environment</th>
          <th scope="col">Created by</th>
          <th scope="col">Status</th>
          <th scope="col">Last used</th>
          <th scope="col">Expires</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((key) => (
          <KeyRow
            key={key.id}
            apiKey={key}
            busy={busyKeyId === key.id}
            onRotate={onRotate}
            onRevoke={onRevoke}
          />
        ))}
      </tbody>
    </table>
  );
}

interface KeyRowProps {
  readonly apiKey: ApiKey;
  readonly busy: boolean;
  readonly onRotate: (key: ApiKey) => void;
  readonly onRevoke: (key: ApiKey) => void;
}

/** A key handed to a new owner when its creator left: the old secret is dead, a rotation makes the new one. */
const awaitingRotation = (key: ApiKey) => key.status === 'active' && key.handedOverAt !== null;

function KeyRow({ apiKey: key, busy, onRotate, onRevoke }: KeyRowProps) {
  return (
    <tr className={`keys-table__row keys-table__row--${awaitingRotation(key) ? 'handed-over' : key.status}`}>
      <th scope="row" className="keys-table__name">
        {key.name}
        <code className="keys-table__id">{key.id}</code>
      </th>
      <td>
        <ul className="scope-list" aria-label={`Scopes of ${key.name}`}>
          {key.scopes.map((scope) => (
            <li key={scope}>{scope}</li>
          ))}
        </ul>
      </td>
      <td>
        <span className={`env-tag env-tag--${key.environment}`}>
          {key.environment === 'live' ? 'LIVE' : 'test'}
        </span>
      </td>
      <td>
        <PersonName id={key.createdBy} />
        <span className="keys-table__sub">{when(key.createdAt)}</span>
      </td>
      <td>
        {awaitingRotation(key) ? (
          <>
            <span className="key-status key-status--handed-over">Handed over</span>
            <span className="keys-table__sub">no working secret until its new owner rotates it</span>
          </>
        ) : (
          <span className={`key-status key-status--${key.status}`}>{statusLabels[key.status]}</span>
        )}
        {key.status === 'grace' && key.graceUntil && (
          <span className="keys-table__sub">
            <GraceCountdown until={key.graceUntil} />
          </span>
        )}
        {key.replacedBy && (
          <span className="keys-table__sub">
            replaced by <code>{key.replacedBy}</code>
          </span>
        )}
      </td>
      <td>{key.lastUsedAt ? when(key.lastUsedAt) : <span className="keys-muted">never</span>}</td>
      <td>{key.expiresAt ? when(key.expiresAt) : <span className="keys-muted">never</span>}</td>
      <td className="keys-table__actions">
        {key.status === 'active' && (
          <button type="button" disabled={busy} onClick={() => onRotate(key)}>
            Rotate<span className="visually-hidden"> {key.name}</span>
          </button>
        )}
        {(key.status === 'active' || key.status === 'grace') && (
          <button type="button" className="danger-outline" disabled={busy} onClick={() => onRevoke(key)}>
            Revoke<span className="visually-hidden"> {key.name}</span>
          </button>
        )}
      </td>
    </tr>
  );
}
