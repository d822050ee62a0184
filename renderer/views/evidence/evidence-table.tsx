import type { EvidenceMediaType } from '../../../shared/evidence/content-type';
import { binarySize } from '../../components/byte-size';
import { PersonName } from '../../components/person-name';
import { mediaTypeName } from '../../stores/evidence-attachments';
import { previewKind } from './csv';
import { dayText, periodText } from './status';
import { StatusBadge } from './status-badge';
import type { CatalogEntry } from './use-evidence-catalog';

/**
 * The tenant's evidence as a table: a row per file with its period, expiry and status in words, who
 * uploaded it and for which request, and whether this computer holds it (then it opens offline too).
 * Every action is a button in reading order, so the keyboard needs nothing but Tab and Enter.
 */
export function EvidenceTable(props: {
  readonly items: readonly CatalogEntry[];
  onOpen(entry: CatalogEntry): void;
  onRequest(requestId: string): void;
}) {
  return (
    <table className="table evidence-table">
      <caption className="visually-hidden">The tenant’s evidence, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Status</th>
          <th scope="col">Period</th>
          <th scope="col">Expires</th>
          <th scope="col">Type</th>
          <th scope="col">Uploaded by</th>
          <th scope="col">Request</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {props.items.map((e) => (
          <tr key={e.id} data-evidence-id={e.id} className={`evidence-row evidence-row--${e.status}`}>
            <th scope="row" className="evidence-table__name">
              <span className="evidence-table__file">{e.name}</span>{' '}
              {e.cached && (
                <span className="evidence-cached" title="Kept encrypted on this computer; opens offline">
                  On this computer
                </span>
              )}
              {e.supersededBy ? (
                <span className="hint evidence-table__version"> Replaced by a newer version</span>
              ) : (
                e.supersedes && (
                  <span className="hint evidence-table__version"> Replaces an earlier version</span>
                )
              )}
            </th>
            <td>
              <StatusBadge status={e.status} />
            </td>
            <td>{periodText(e.period)}</td>
            <td>{e.expiresOn ? dayText(e.expiresOn) : <span className="hint">Does not expire</span>}</td>
            <td>
              {previewKind(e.mediaType, e.name) === 'csv'
                ? 'CSV'
                : mediaTypeName(e.mediaType as EvidenceMediaType)}
              <span className="hint"> · {binarySize(e.size)}</span>
            </td>
            <td>
              {/* A file the platform wrote itself (an access review's pack) has no person behind it. */}
              {e.uploader.type === 'system' ? (
                'The platform (access review)'
              ) : (
                <PersonName id={e.uploader.id} />
              )}
            </td>
            <td>
              {e.requestId ? (
                <button
                  type="button"
                  className="link-button evidence-table__request"
                  onClick={() => props.onRequest(e.requestId as string)}
                  aria-label={`Show only the evidence of request ${e.requestId}`}
                  title={e.requestId}
                >
                  {e.requestId.slice(0, 10)}…
                </button>
              ) : (
                <span className="hint">None</span>
              )}
            </td>
            <td>
              <button type="button" onClick={() => props.onOpen(e)} aria-label={`Open ${e.name}`}>
                Open
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
