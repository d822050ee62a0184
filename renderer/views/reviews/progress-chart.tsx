import type { Campaign } from '../../../shared/api/reviews';
import { nameText } from '../../stores/directory-store';
import { useNameOf } from '../audit/use-name-of';

/**
 * A campaign's progress per reviewer as horizontal bars (decided of assigned). The SVG is one image with
 * a text alternative; the same figures are in a table for screen readers and for copying.
 */
export function ProgressChart({ campaign }: { campaign: Campaign }) {
  const named = useNameOf();
  const nameOf = (id: string, fallback: string) => {
    const n = named(id);
    return n.kind === 'person' ? nameText(n) : fallback;
  };
  const rows = campaign.progress.byReviewer;
  const barWidth = 220;
  const rowHeight = 28;
  const labelWidth = 170;
  const height = rows.length * rowHeight + 8;
  const summary = rows
    .map((r) => `${nameOf(r.reviewerId, 'a reviewer')}: ${r.decided} of ${r.total} decided`)
    .join('; ');
  return (
    <figure className="progress-chart">
      <svg
        role="img"
        aria-label={`Progress per reviewer. ${summary}.`}
        width={labelWidth + barWidth + 90}
        height={height}
        viewBox={`0 0 ${labelWidth + barWidth + 90} ${height}`}
      >
        {rows.map((r, i) => {
          const y = i * rowHeight + 4;
          const done = r.total === 0 ? 0 : (r.decided / r.total) * barWidth;
          return (
            <g key={r.reviewerId}>
              <text x={0} y={y + 16} className="progress-chart__label">
                {nameOf(r.reviewerId, 'a reviewer').slice(0, 24)}
              </text>
              <rect
                x={labelWidth}
                y={y}
                width={barWidth}
                height={20}
                className="progress-chart__track"
                rx={4}
              />
              <rect x={labelWidth} y={y} width={done} height={20} className="progress-chart__done" rx={4} />
              <text x={labelWidth + barWidth + 8} y={y + 16} className="progress-chart__figure">
                {r.decided}/{r.total}
              </text>
            </g>
          );
        })}
      </svg>
      <table className="visually-hidden">
        <caption>Progress per reviewer</caption>
        <thead>
          <tr>
            <th scope="col">Reviewer</th>
            <th scope="col">Decided</th>
            <th scope="col">Assigned</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.reviewerId}>
              <th scope="row">{nameOf(r.reviewerId, 'a reviewer')}</th>
              <td>{r.decided}</td>
              <td>{r.total}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
