import type { EvidenceStatus } from '../../../shared/evidence/period';
import { statusLabels } from './status';

/** A file's status in words (colour only repeats them), with its expiry day when it has one. */
export function StatusBadge({ status }: { readonly status: EvidenceStatus }) {
  return <span className={`evidence-status evidence-status--${status}`}>{statusLabels[status]}</span>;
}
