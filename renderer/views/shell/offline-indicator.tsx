import { useConnectivity } from '../../app-context';

/** Shown on every screen while the platform cannot be reached; cached evidence stays readable. */
export function OfflineIndicator() {
  const offline = useConnectivity((s) => s.offline);
  if (!offline) return null;
  return (
    <span
      className="offline-badge"
      role="status"
      title="The platform cannot be reached. Cached evidence and offline verification still work."
    >
      Offline
    </span>
  );
}
