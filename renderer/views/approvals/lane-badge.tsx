import type { Lane } from '../../../shared/approvals/kinds';
import { laneLabels, laneMeaning } from './format';

/** The lane in words and shape as well as colour, so it reads without colour vision too. */
export function LaneBadge({ lane, long = false }: { lane: Lane; long?: boolean }) {
  const badge = (
    <span className={`lane lane--${lane}`}>
      <span className="lane__mark" aria-hidden="true" />
      {laneLabels[lane]}
    </span>
  );
  if (!long) return badge;
  return (
    <span className="lane-long">
      {badge} <span className="lane__meaning">{laneMeaning[lane]}</span>
    </span>
  );
}

export function StatusText({ status }: { status: string }) {
  return (
    <span className={`status status--${status}`}>{status.charAt(0).toUpperCase() + status.slice(1)}</span>
  );
}

export function ApprovalCount({ approvals, required }: { approvals: number; required: number }) {
  return required === 0 ? (
    <span className="count">none needed</span>
  ) : (
    <span className="count">
      {approvals} of {required}
    </span>
  );
}
