import { useEffect, useRef } from 'react';
import type { UploadProgress as Progress } from '../../../stores/evidence-upload-run';
import { byteSize } from '../format';

/**
 * A submit's upload: which file of how many, how far (in words too, for screen readers), and Cancel,
 * which gets the focus so Enter then Escape or Enter again is all a keyboard needs.
 */
export function UploadProgress({ progress, onCancel }: { readonly progress: Progress; onCancel(): void }) {
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), []);
  const percent = progress.total > 0 ? Math.min(100, Math.round((progress.done / progress.total) * 100)) : 0;
  const label = `${progress.step === 'preparing' ? 'Preparing' : 'Uploading'} ${progress.name} (file ${progress.index} of ${progress.count})`;
  const figures = `${percent}% (${byteSize(progress.done)} of ${byteSize(progress.total)})`;
  return (
    <div className="upload-progress">
      <div className="upload-progress__line">
        <span className="upload-progress__label">{label}</span>
        <span className="upload-progress__figures">{progress.cancelling ? 'Cancelling…' : figures}</span>
      </div>
      <div className="upload-progress__row">
        <div
          role="progressbar"
          aria-label={label}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          aria-valuetext={figures}
          className="upload-progress__track"
        >
          <div className="upload-progress__fill" style={{ width: `${percent}%` }} />
        </div>
        <button ref={cancel} type="button" onClick={onCancel} disabled={progress.cancelling}>
          {progress.cancelling ? 'Cancelling…' : 'Cancel upload'}
        </button>
      </div>
    </div>
  );
}
