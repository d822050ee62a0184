import type { EvidenceMeta } from '../../../../shared/api/evidence';
import { byteSize, dateTime, principalLabel } from '../format';

/** The files attached to the request; a decision's signature covers exactly these hashes. */
export function EvidenceList({ evidence }: { evidence: readonly EvidenceMeta[] }) {
  if (evidence.length === 0) return <p className="hint">No evidence is attached to this request.</p>;
  return (
    <table className="table">
      <caption className="visually-hidden">Evidence files</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Type</th>
          <th scope="col">Size</th>
          <th scope="col">SHA-256</th>
          <th scope="col">Uploaded</th>
        </tr>
      </thead>
      <tbody>
        {evidence.map((e) => (
          <tr key={e.id}>
            <td className="table__name">{e.name}</td>
            <td>{e.mediaType}</td>
            <td>{byteSize(e.size)}</td>
            <td>
              <code>{e.sha256.slice(0, 12)}…</code>
            </td>
            <td>
              {dateTime(e.uploadedAt)} by {principalLabel(e.uploader)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
