import { Notice } from '../../components/notice';
import type { RotationState } from '../../stores/settings-store';
import { ProgressBar } from './progress-bar';
import { useSettings, useSettingsStore } from './use-settings';

const plural = (n: number) => `${n} data key${n === 1 ? '' : 's'}`;

/** Where the bar stands: unknown until the first progress event, full once the rotation answered. */
function progressOf(rotation: RotationState): { percent: number | null; text: string } | null {
  if (rotation.phase === 'running')
    return rotation.total === 0
      ? { percent: null, text: 'Starting…' }
      : {
          percent: Math.round((rotation.done / rotation.total) * 100),
          text: `${rotation.done} of ${plural(rotation.total)} re-wrapped`,
        };
  if (rotation.phase === 'done')
    return { percent: 100, text: `Done: ${plural(rotation.rewrapped)} re-wrapped` };
  return null;
}

/** The local cache's master key (held in the OS keychain) for the profile in use, rotated on demand. */
export function MasterKeySection() {
  const store = useSettingsStore();
  const rotation = useSettings((s) => s.rotation);
  const progress = progressOf(rotation);
  const running = rotation.phase === 'running';

  return (
    <section className="settings-section" aria-labelledby="master-key-heading">
      <h2 id="master-key-heading">Cache encryption key</h2>
      <p className="hint">
        Cached evidence is encrypted with keys wrapped by a master key in the OS keychain. Rotating makes a
        new master key and re-wraps every data key under it; an interrupted rotation resumes on the next
        start.
      </p>
      <button type="button" disabled={running} onClick={() => void store.getState().rotateMasterKey()}>
        {running ? 'Rotating…' : 'Rotate cache master key'}
      </button>
      {running && (
        <button type="button" onClick={() => void store.getState().cancelRotation()}>
          Cancel rotation
        </button>
      )}
      {progress && (
        <ProgressBar label="Cache master key rotation" percent={progress.percent} text={progress.text} />
      )}
      {rotation.phase === 'done' && (
        <p role="status" className="settings-result">
          The cache master key was rotated; {plural(rotation.rewrapped)} now use the new key.
        </p>
      )}
      {rotation.phase === 'failed' && (
        <Notice
          tone="error"
          action={{ label: 'Try again', run: () => void store.getState().rotateMasterKey() }}
        >
          {rotation.error.code === 'conflict'
            ? 'The rotation stopped part-way; every cached file is still readable, and the rest is finished on the next start or when you rotate again.'
            : `The rotation did not finish: ${rotation.error.message}`}
        </Notice>
      )}
    </section>
  );
}
