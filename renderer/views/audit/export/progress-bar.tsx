import { byteSize } from '../format';

interface ProgressBarProps {
  readonly label: string;
  readonly done: number;
  readonly total: number;
  /** Shown instead of the figures while a cancel is on its way. */
  readonly note?: string;
  onCancel(): void;
  readonly cancelling?: boolean;
}

/** Long work, visibly: how far (in bytes and per cent, for screen readers too) and a way to stop it. */
export function ProgressBar({ label, done, total, note, onCancel, cancelling = false }: ProgressBarProps) {
  const percent = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;
  const figures = `${percent}% (${byteSize(done)} of ${byteSize(total)})`;
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
        <button type="button" onClick={onCancel} disabled={cancelling}>
          {cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      </div>
    </div>
  );
}
