import { ProgressBar } from '../../../components/progress-bar';
import type { UploadProgress as Progress } from '../../../stores/evidence-upload-run';

/**
 * A submit's upload: which file of how many, how far, and Cancel, which gets the focus so Enter then
 * Escape or Enter again is all a keyboard needs.
 */
export function UploadProgress({ progress, onCancel }: { readonly progress: Progress; onCancel(): void }) {
  const label = `${progress.step === 'preparing' ? 'Preparing' : 'Uploading'} ${progress.name} (file ${progress.index} of ${progress.count})`;
  return (
    <ProgressBar
      label={label}
      done={progress.done}
      total={progress.total}
      {...(progress.cancelling ? { note: 'Cancelling…' } : {})}
      cancelling={progress.cancelling}
      cancelLabel="Cancel upload"
      onCancel={onCancel}
      focusCancel
    />
  );
}
