import { useEffect, useId, useState } from 'react';
import type { CallOutput } from '../../../shared/contract/contract';
import { useApp, useConnectivity, useSession } from '../../app-context';
import { binarySize } from '../../components/byte-size';
import { EvidenceViewer } from './evidence-viewer';
import './evidence.css';

type Cached = CallOutput<'evidence.listCached'>['evidence'][number];

/**
 * The evidence this computer holds for the tenant, from the encrypted cache: searchable by name and type
 * without decrypting anything, and readable with the platform unreachable. The Evidence screen shows it
 * when the platform cannot be reached.
 */
export function CachedEvidence() {
  const { client } = useApp();
  const active = useSession((s) => s.active);
  const tenant = useSession((s) => s.tenant);
  const offline = useConnectivity((s) => s.offline);
  const [query, setQuery] = useState('');
  const [items, setItems] = useState<readonly Cached[] | { error: string } | null>(null);
  const [open, setOpen] = useState<Cached | null>(null);
  const searchId = useId();

  useEffect(() => {
    if (!active || !tenant) return;
    let current = true;
    void client
      .call('evidence.listCached', { profile: active.profile, tenant, ...(query ? { query } : {}) })
      .then((reply) => {
        if (current) setItems(reply.ok ? reply.value.evidence : { error: reply.error.message });
      });
    return () => {
      current = false;
    };
  }, [client, active, tenant, query]);

  return (
    <section className="cached-evidence" aria-labelledby="cached-evidence-h">
      <h2 id="cached-evidence-h">Evidence on this computer</h2>
      <p className="hint">
        Files you opened are kept here encrypted, so they open instantly and without a connection
        {offline ? ' — the platform cannot be reached right now.' : '.'}
      </p>
      <label htmlFor={searchId}>Search by name or type</label>
      <input id={searchId} type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
      {items === null && <p role="status">Loading…</p>}
      {items && 'error' in items && (
        <p className="notice notice--error" role="alert">
          {items.error}
        </p>
      )}
      {Array.isArray(items) && items.length === 0 && (
        <p className="hint">
          {query ? 'Nothing cached matches.' : 'No evidence has been opened in this tenant yet.'}
        </p>
      )}
      {Array.isArray(items) && items.length > 0 && (
        <table className="table">
          <caption className="visually-hidden">Cached evidence</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Size</th>
              <th scope="col">Last opened</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.snapshotId}>
                <td>{item.name}</td>
                <td>{item.mediaType}</td>
                <td>{binarySize(item.size)}</td>
                <td>{new Date(item.lastUsedAt).toLocaleString()}</td>
                <td>
                  <button type="button" onClick={() => setOpen(item)} aria-label={`Open ${item.name}`}>
                    Open
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open && <EvidenceViewer evidenceId={open.snapshotId} name={open.name} onClose={() => setOpen(null)} />}
    </section>
  );
}
