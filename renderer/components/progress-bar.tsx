import './progress-bar.css';
import { useEffect, useRef } from 'react';
import { binarySize } from './byte-size';

interface ProgressBarProps {
  readonly label: string;
  readonly done: number;
  readonly total: number;
  /** Shown instead of the figures (e.g. while a cancel is on its way). */
  readonly note?: string;
  onCancel(): void;
  readonly cancelling?: boolean;
  /** The Cancel button's words: say what stops ("Cancel upload"). */
  readonly cancelLabel?: string;
  /** Give Cancel the focus when the bar appears, so Escape / Enter is all a keyboard needs. */
  readonly focusCancel?: boolean;
}

/**
 * Long work over bytes, visibly: what is happening, how far (per cent and bytes, for screen readers too)
 * and a way to stop it. Used for exports, uploads and downloads alike.
 */
export function ProgressBar({
  label,
  done,
  total,
  note,
  onCancel,
  cancelling = false,
  cancelLabel = 'Cancel',
  focusCancel = false,
}: ProgressBarProps) {
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (focusCancel) cancel.current?.focus();
  }, [focusCancel]);
  const percent = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;
  const figures = `${percent}% (${binarySize(done)} of ${binarySize(total)})`;
  return (
    <div className="progress">
      <div className="progress__line">
        <span className="progress__label">{label}</span>
        <span className="progress__figures">{note ?? figures}</span>
      </div>
      <div className="progress__row">
        <div
          role="progressbar"
          aria-label={label}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          aria-valuetext={figures}
          className="progress__track"
        >
          <div className="progress__fill" style={{ width: `${percent}%` }} />
        </div>
        <button ref={cancel} type="button" onClick={onCancel} disabled={cancelling}>
          {cancelling ? 'Cancelling…' : cancelLabel}
        </button>
      </div>
    </div>
  );
}
