import { useState } from 'react';
import type { Grants } from '../../../../shared/api/lifecycle';
import type { Member } from '../../../../shared/api/organizations';
import { dateTime } from '../../approvals/format';
import { DirectoryName } from '../../shell/directory-name';
import { AskDialog } from './ask-dialog';
import { useLifecycle } from './use-lifecycle';

type Key = Grants['apiKeys'][number];

/**
 * API keys whose owner was removed: they stopped working with the membership. An administrator hands one
 * over to another member (api_key.transfer, red) or revokes it (api_key.revoke), each a request.
 */
export function HandOverSection({ members, live }: { members: readonly Member[]; live: boolean }) {
  const grants = useLifecycle((s) => s.grants);
  const [acting, setActing] = useState<{ key: Key; action: 'transfer' | 'revoke' } | null>(null);
  const [to, setTo] = useState('');
  const orphaned = (grants?.apiKeys ?? []).filter((k) => k.ownerStatus === 'removed');
  if (!grants) return null;
  const active = members.filter((m) => !m.suspended);
  return (
    <section className="members-section" aria-labelledby="handover-heading">
      <h2 id="handover-heading">API keys of removed people</h2>
      {orphaned.length === 0 ? (
        <p className="hint">Every API key of this environment acts for a current member.</p>
      ) : (
        <table className="members-table">
          <caption className="visually-hidden">API keys to hand over or revoke</caption>
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Acted for</th>
              <th scope="col">Scopes</th>
              <th scope="col">Last used</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {orphaned.map((k) => (
              <tr key={k.id}>
                <th scope="row">{k.name}</th>
                <td>
                  <DirectoryName id={k.ownerId} fallback="a removed person" />
                </td>
                <td>{k.scopes.join(', ')}</td>
                <td>
                  {k.lastUsedAt ? dateTime(k.lastUsedAt) : 'Never'}
                  {k.unused90Days && <span className="unused-flag">Unused 90 days</span>}
                </td>
                <td>
                  <div className="members-table__actions">
                    <button type="button" onClick={() => setActing({ key: k, action: 'transfer' })}>
                      Hand over…<span className="visually-hidden"> {k.name}</span>
                    </button>
                    <button type="button" onClick={() => setActing({ key: k, action: 'revoke' })}>
                      Revoke…<span className="visually-hidden"> {k.name}</span>
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {acting?.action === 'transfer' && (
        <AskDialog
          title={`Hand over “${acting.key.name}”`}
          submitLabel="Request the hand-over"
          live={live}
          onClose={() => setActing(null)}
          ask={(reason) =>
            to
              ? {
                  kind: 'api_key.transfer',
                  title: `Hand over the API key “${acting.key.name}”`,
                  summary: reason,
                  payload: { keyId: acting.key.id, toUserId: to },
                }
              : null
          }
        >
          <label htmlFor="handover-to">To</label>
          <select id="handover-to" value={to} onChange={(e) => setTo(e.target.value)} data-autofocus>
            <option value="">Choose a member…</option>
            {active.map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.displayName} ({m.email})
              </option>
            ))}
          </select>
          <p className="hint">
            From then on the key acts for that person, with no more than their role allows.
          </p>
        </AskDialog>
      )}
      {acting?.action === 'revoke' && (
        <AskDialog
          title={`Revoke “${acting.key.name}”`}
          submitLabel="Request the revocation"
          live={live}
          onClose={() => setActing(null)}
          ask={(reason) => ({
            kind: 'api_key.revoke',
            title: `Revoke the API key “${acting.key.name}”`,
            summary: reason,
            payload: { keyId: acting.key.id },
          })}
        />
      )}
    </section>
  );
}
