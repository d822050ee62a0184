import './package.css';
import { useEffect, useId } from 'react';
import { useSession } from '../../../app-context';
import { Notice } from '../../../components/notice';
import { ProgressBar } from '../../../components/progress-bar';
import type { ExportKind } from '../../../stores/audit-package-store';
import { VerificationReport } from '../export/verification-report';
import { PackageResult } from './package-result';
import { SavePicker } from './save-picker';
import { SavedFiles } from './saved-files';
import { usePackageExport, usePackageExportStore } from './use-package-export';

const kinds: { id: ExportKind; label: string; hint: string }[] = [
  {
    id: 'package',
    label: 'Audit package',
    hint: 'The log for the period, every decision’s proof, every evidence file and a manifest, in one ZIP.',
  },
  { id: 'log', label: 'Log only', hint: 'The log for the period with its signed checkpoints (JSON Lines).' },
];

/**
 * "Export…": the auditor picks organization, environment and period and exports the log or the audit
 * package; the console saves it where they choose, verifies it at once offline, saves the reports beside
 * it and shows the verdict; for a package, a sample of N requests can be drawn and checked.
 */
export function PackagePanel() {
  const store = usePackageExportStore();
  const form = usePackageExport((s) => s.form);
  const step = usePackageExport((s) => s.step);
  const cancelled = usePackageExport((s) => s.cancelled);
  const tenants = useSession((s) => s.tenants);
  const ids = { org: useId(), env: useId(), from: useId(), through: useId(), kind: useId() };
  useEffect(() => {
    void store.getState().init();
  }, [store]);

  const busy = step.phase === 'exporting' || step.phase === 'verifying' || step.phase === 'choosing';
  const environments = tenants.find((t) => t.organization === form.organization)?.environments ?? [];
  const { setForm } = store.getState();
  const what = form.kind === 'package' ? 'audit package' : 'log export';
  return (
    <section className="package" aria-label="Export the log or an audit package">
      <form
        className="package__form"
        onSubmit={(event) => {
          event.preventDefault();
          void store.getState().start();
        }}
      >
        <fieldset className="package__kinds" disabled={busy}>
          <legend>What to export</legend>
          {kinds.map((k) => (
            <label key={k.id} className="package__kind">
              <input
                type="radio"
                name={ids.kind}
                value={k.id}
                checked={form.kind === k.id}
                onChange={() => setForm({ kind: k.id })}
              />
              <span>
                <strong>{k.label}</strong>
                <span className="hint">{k.hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <fieldset className="package__where" disabled={busy}>
          <legend>Whose log, and which period (UTC days)</legend>
          <div className="package__fields">
            <div>
              <label htmlFor={ids.org}>Organization</label>
              <select
                id={ids.org}
                value={form.organization}
                onChange={(event) => {
                  const organization = event.target.value;
                  const envs = tenants.find((t) => t.organization === organization)?.environments ?? [];
                  setForm({
                    organization,
                    environment: envs.includes(form.environment) ? form.environment : (envs[0] ?? 'test'),
                  });
                }}
              >
                {tenants.map((t) => (
                  <option key={t.organization} value={t.organization}>
                    {t.organizationName} ({t.organization})
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label htmlFor={ids.env}>Environment</label>
              <select
                id={ids.env}
                value={form.environment}
                onChange={(event) => setForm({ environment: event.target.value as 'test' | 'live' })}
              >
                {environments.map((e) => (
                  <option key={e} value={e}>
                    {e === 'live' ? 'live (real data)' : e}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label htmlFor={ids.from}>From</label>
              <input
                id={ids.from}
                type="date"
                value={form.from}
                onChange={(event) => setForm({ from: event.target.value })}
                required
              />
            </div>
            <div>
              <label htmlFor={ids.through}>Through</label>
              <input
                id={ids.through}
                type="date"
                value={form.through}
                onChange={(event) => setForm({ through: event.target.value })}
                required
              />
            </div>
          </div>
          <p className="hint">
            The period runs from the start of the first day to the end of the last; a period through today
            ends when the export starts.
          </p>
        </fieldset>
        <div className="package__run">
          <button type="submit" className="primary" disabled={busy}>
            {form.kind === 'package' ? 'Export package…' : 'Export log…'}
          </button>
          <span className="hint">Asks where to save it, then verifies it offline at once.</span>
        </div>
      </form>
      {step.phase === 'exporting' && (
        <ProgressBar
          label={`Exporting the ${what}`}
          done={step.done}
          total={step.total}
          cancelling={step.cancelling}
          onCancel={() => void store.getState().cancel()}
        />
      )}
      {step.phase === 'verifying' && (
        <ProgressBar
          label={
            step.sampling > 0
              ? `Verifying again, drawing a sample of ${step.sampling}`
              : `Verifying the ${step.saved.kind === 'package' ? 'package' : 'export'} offline`
          }
          done={step.done}
          total={step.total}
          cancelling={step.cancelling}
          onCancel={() => void store.getState().cancel()}
        />
      )}
      {cancelled && step.phase === 'idle' && (
        <Notice tone="info">Cancelled: nothing was saved, or the verification stopped.</Notice>
      )}
      {step.phase === 'failed' && (
        <Notice tone="error">
          <strong>{step.saved ? 'Saved, but not verified.' : 'Not exported.'}</strong> {step.error.message}
        </Notice>
      )}
      {step.phase === 'done' &&
        (step.verification.kind === 'package' ? (
          <PackageResult result={step.verification.result}>
            <SavedFiles saved={step.saved} verification={step.verification} />
            <SampleForm />
          </PackageResult>
        ) : (
          <>
            <VerificationReport result={step.verification.result} />
            <SavedFiles saved={step.saved} verification={step.verification} />
          </>
        ))}
      <SavePicker />
    </section>
  );
}

/** Asks for N and verifies the package again with a sample of N requests drawn from its closing checkpoint. */
function SampleForm() {
  const store = usePackageExportStore();
  const text = usePackageExport((s) => s.sampleText);
  const error = usePackageExport((s) => s.sampleError);
  const id = useId();
  const errorId = useId();
  return (
    <form
      className="package__sample-form"
      onSubmit={(event) => {
        event.preventDefault();
        void store.getState().drawSample();
      }}
    >
      <label htmlFor={id}>Sample size (requests)</label>
      <input
        id={id}
        inputMode="numeric"
        value={text}
        onChange={(event) => store.getState().setSampleText(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        size={6}
      />
      <button type="submit">Draw sample</button>
      {error && (
        <span id={errorId} className="field-error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
