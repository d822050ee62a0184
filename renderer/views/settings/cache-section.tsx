import { type FormEvent, useId, useState } from 'react';
import { binarySize } from '../../components/byte-size';
import { Dialog } from '../../components/dialog';
import { Notice } from '../../components/notice';
import { MIB, parseQuotaMiB } from '../../stores/settings-store';
import { useSettings, useSettingsStore } from './use-settings';

/** The evidence cache on this computer: how much it holds, its size limit, and emptying it. */
export function CacheSection() {
  const store = useSettingsStore();
  const cache = useSettings((s) => s.cache);
  const phase = useSettings((s) => s.cachePhase);
  const error = useSettings((s) => s.cacheError);
  const op = useSettings((s) => s.cacheOp);
  const [quota, setQuota] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const ids = { quota: useId(), problem: useId() };
  const working = op.phase === 'working';
  const shownQuota = quota ?? (cache ? String(Math.round(cache.quotaBytes / MIB)) : '');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseQuotaMiB(shownQuota);
    if (!parsed.ok) return setProblem(parsed.message);
    setProblem(null);
    await store.getState().setQuotaMiB(parsed.mib);
    // Saved: the field shows the quota the cache now has. Not saved: what was typed stays, to try again.
    if (store.getState().cacheOp.phase === 'done') setQuota(null);
  };
  const clear = async () => {
    await store.getState().clearCache();
    setConfirming(false);
  };

  const percent = cache && cache.quotaBytes > 0 ? Math.min(100, (cache.bytes / cache.quotaBytes) * 100) : 0;
  return (
    <section className="settings-section" aria-labelledby="cache-heading">
      <h2 id="cache-heading">Evidence cache</h2>
      {!cache && (phase === 'idle' || phase === 'loading') && <Notice tone="info">Reading the cache…</Notice>}
      {!cache && phase === 'error' && (
        <Notice tone="error" action={{ label: 'Retry', run: () => void store.getState().load() }}>
          The cache could not be read: {error?.message}
        </Notice>
      )}
      {cache && (
        <>
          <dl className="cache-facts">
            <div>
              <dt>Cached files</dt>
              <dd>{cache.entries === 0 ? 'none — the cache is empty' : cache.entries.toLocaleString()}</dd>
            </div>
            <div>
              <dt>Size</dt>
              <dd>
                {binarySize(cache.bytes)} of {binarySize(cache.quotaBytes)}
                {percent >= 0.1 && ` (${percent.toFixed(percent < 10 ? 1 : 0)}%)`}
              </dd>
            </div>
          </dl>
          <form className="quota-form" onSubmit={(e) => void submit(e)} noValidate>
            <label htmlFor={ids.quota}>Quota (MiB)</label>
            <div className="quota-form__row">
              <input
                id={ids.quota}
                inputMode="numeric"
                value={shownQuota}
                onChange={(e) => {
                  setQuota(e.target.value);
                  setProblem(null);
                }}
                aria-invalid={problem !== null}
                aria-describedby={problem ? ids.problem : undefined}
              />
              <button type="submit" disabled={working}>
                {working && op.op === 'quota' ? 'Setting…' : 'Set quota'}
              </button>
              <button
                type="button"
                className="danger-outline"
                disabled={working}
                onClick={() => setConfirming(true)}
              >
                Clear cache…
              </button>
            </div>
            <p className="hint">Least-recently-used files are removed at once to fit a smaller quota.</p>
            {problem && (
              <p id={ids.problem} className="field-error" role="alert">
                {problem}
              </p>
            )}
          </form>
        </>
      )}
      {op.phase === 'done' && (
        <p role="status" className="settings-result">
          {op.op === 'quota' ? 'Quota saved.' : 'The cache was cleared.'}
        </p>
      )}
      {op.phase === 'failed' && (
        <Notice tone="error">
          {op.op === 'quota' ? 'The quota was not changed' : 'The cache was not cleared'}: {op.error.message}
        </Notice>
      )}
      {confirming && (
        <Dialog title="Clear the evidence cache" onCancel={() => setConfirming(false)}>
          <p>
            Every cached evidence file on this computer is deleted. Files are fetched from the platform again
            when opened, which needs a connection.
          </p>
          <div className="dialog__actions">
            <button type="button" data-autofocus onClick={() => setConfirming(false)}>
              Cancel
            </button>
            <button type="button" className="danger" disabled={working} onClick={() => void clear()}>
              {working ? 'Clearing…' : 'Clear cache'}
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
