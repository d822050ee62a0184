import { useNow } from '../approvals/use-now';
import { countdown, spokenCountdown } from './key-format';

/**
 * How long a rotated key keeps working, ticking every second. A timer role is never announced by itself
 * (its live region is off); its label says the same in words for anyone who asks.
 */
export function GraceCountdown({ until }: { until: string }) {
  const now = useNow(1000);
  const left = Date.parse(until) - now;
  if (!(left > 0)) return <span className="grace grace--over">grace period over</span>;
  return (
    <span className="grace" role="timer" aria-label={`Stops working in ${spokenCountdown(left)}`}>
      stops working in <span className="grace__clock">{countdown(left)}</span>
    </span>
  );
}
