import type { AuditEntry } from '../../../stores/audit-store';

export function Outcome({ outcome }: { outcome: AuditEntry['outcome'] }) {
  return (
    <span className={`audit-outcome audit-outcome--${outcome}`}>
      {outcome === 'success' ? '✓ Success' : '✕ Failure'}
    </span>
  );
}
