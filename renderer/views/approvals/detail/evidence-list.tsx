import { useState } from 'react';
import type { EvidenceMeta } from '../../../../shared/api/evidence';
import { binarySize } from '../../../components/byte-size';
import { EvidenceViewer } from '../../evidence/evidence-viewer';
import { dateTime } from '../format';
import { Who } from '../names';

/**
 * The files attached to the request; a decision's signature covers exactly these hashes. Each opens
 * through the encrypted cache, so what was opened once stays readable offline.
 */
export function EvidenceList({
  evidence,
  onRequestDeletion,
}: {
  evidence: readonly EvidenceMeta[];
  /** Offered where the person may raise evidence.delete. */
  onRequestDeletion?: (evidence: EvidenceMeta) => void;
}) {
  const [open, setOpen] = useState<EvidenceMeta | null>(null);
  if (evidence.length === 0) return <p className="hint">No evidence is attached to this request.</p>;
  return (
    <>
      {open && <EvidenceViewer evidenceId={open.id} name={open.name} onClose={() => setOpen(null)} />}
      <table className="table">
        <caption className="visually-hidden">Evidence files</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Type</th>
            <th scope="col">Size</th>
            <th scope="col">SHA-256</th>
            <th scope="col">Uploaded</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {evidence.map((e) => (
            <tr key={e.id}>
              <td className="table__name">{e.name}</td>
              <td>{e.mediaType}</td>
              <td className="evidence-size">{binarySize(e.size)}</td>
              <td>
                <code>{e.sha256.slice(0, 12)}…</code>
              </td>
              <td>
                {dateTime(e.uploadedAt)} by <Who id={e.uploader.id} />
              </td>
              <td>
                <span className="evidence-actions">
                  <button type="button" onClick={() => setOpen(e)} aria-label={`Open ${e.name}`}>
                    Open
                  </button>
                  {onRequestDeletion && (
                    <button
                      type="button"
                      onClick={() => onRequestDeletion(e)}
                      aria-label={`Request deletion of ${e.name}`}
                    >
                      Request deletion…
                    </button>
                  )}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
