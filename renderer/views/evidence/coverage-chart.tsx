import { useId } from 'react';
import type { EvidenceCoverage } from '../../../shared/api/evidence';
import { dayText, monthText } from './status';

const WIDTH = 560;
const HEIGHT = 150;
const AXIS = 22;
const TOP = 16;

/**
 * How many current files cover each month of the last year, as bars, and what expires next. The SVG is
 * one image with a title and a description that says every month's figure, so a screen reader hears what
 * the bars show; a month without evidence is drawn as a gap marked on the axis, which is what to look for.
 */
export function CoverageChart({ coverage }: { readonly coverage: EvidenceCoverage }) {
  const ids = { title: useId(), desc: useId(), heading: useId() };
  const max = Math.max(1, ...coverage.months.map((m) => m.files));
  const slot = WIDTH / coverage.months.length;
  const barWidth = slot * 0.6;
  const plot = HEIGHT - AXIS - TOP;
  const gaps = coverage.months.filter((m) => m.files === 0).map((m) => monthText(m.month));
  const description = `${coverage.months.map((m) => `${monthText(m.month)}: ${m.files}`).join('; ')}.${
    gaps.length > 0 ? ` No evidence covers ${gaps.join(', ')}.` : ' Every month is covered.'
  }`;
  return (
    <section className="evidence-overview" aria-labelledby={ids.heading}>
      <h2 id={ids.heading} className="evidence-overview__title">
        Coverage over the last 12 months
      </h2>
      <div className="evidence-overview__body">
        <figure className="coverage-chart">
          <svg
            viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
            role="img"
            aria-labelledby={ids.title}
            aria-describedby={ids.desc}
            preserveAspectRatio="xMidYMid meet"
          >
            <title id={ids.title}>Current evidence files per month, last 12 months</title>
            <desc id={ids.desc}>{description}</desc>
            <line x1={0} x2={WIDTH} y1={HEIGHT - AXIS} y2={HEIGHT - AXIS} className="coverage-chart__axis" />
            {coverage.months.map((m, i) => {
              const h = (m.files / max) * plot;
              const x = i * slot + (slot - barWidth) / 2;
              // The year under the first bar and under each January, so a year's turn reads at a glance.
              const [name, year] = monthText(m.month).split(' ');
              const withYear = i === 0 || m.month.endsWith('-01');
              return (
                <g key={m.month}>
                  {m.files > 0 ? (
                    <rect
                      x={x}
                      y={HEIGHT - AXIS - h}
                      width={barWidth}
                      height={h}
                      rx={2}
                      className="coverage-chart__bar"
                    />
                  ) : (
                    <rect
                      x={x}
                      y={HEIGHT - AXIS - 3}
                      width={barWidth}
                      height={3}
                      className="coverage-chart__gap"
                    />
                  )}
                  <text x={x + barWidth / 2} y={HEIGHT - AXIS - h - 4} className="coverage-chart__value">
                    {m.files}
                  </text>
                  <text x={x + barWidth / 2} y={HEIGHT - 8} className="coverage-chart__month">
                    {withYear ? `${name} ’${year?.slice(2)}` : name}
                  </text>
                </g>
              );
            })}
          </svg>
          <figcaption className="hint">
            Files whose period touches each month ({monthText(coverage.months[0]?.month ?? '')} to{' '}
            {monthText(coverage.months.at(-1)?.month ?? '')}); superseded versions are not counted.
            {gaps.length > 0 ? ` Not covered: ${gaps.join(', ')}.` : ''}
          </figcaption>
        </figure>
        <div className="expiring-next">
          <h3 className="expiring-next__title">Expires next</h3>
          {coverage.expiringNext.length === 0 ? (
            <p className="hint">Nothing is due to expire.</p>
          ) : (
            <ul className="expiring-next__list">
              {coverage.expiringNext.map((e) => (
                <li key={e.id}>
                  <span className="expiring-next__name">{e.name}</span>{' '}
                  <span className="expiring-next__day">{dayText(e.expiresOn)}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </section>
  );
}
