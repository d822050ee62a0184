import './integrity.css';
import type { ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { AppError } from '../../../../shared/result';
import { useSession } from '../../../app-context';
import { Notice } from '../../../components/notice';
import type { LiveCheck } from '../../../stores/audit-integrity-store';
import { Fact } from '../facts';
import { utcTime } from '../format';
import { useAuditStores, useIntegrity } from '../use-audit-stores';

/** "Verify integrity": the tenant's newest signed checkpoint against the pinned key and what came before. */
export function IntegrityPanel() {
  const store = useAuditStores().integrity;
  const tenant = useSession((s) => s.tenant);
  const s = useIntegrity(
    useShallow((i) => ({ phase: i.phase, result: i.result, error: i.error, checkedAt: i.checkedAt })),
  );
  const checking = s.phase === 'checking';
  return (
    <section className="integrity" aria-label="Verify integrity" aria-busy={checking}>
      <p className="integrity__intro">
        Checks the newest signed checkpoint of{' '}
        <strong>{tenant ? `${tenant.organization} · ${tenant.environment}` : 'this log'}</strong> against the
        pinned verifier key, and proves it extends every checkpoint this console stored before.
      </p>
      <div className="integrity__actions">
        <button
          type="button"
          className="primary"
          disabled={checking}
          onClick={() => void store.getState().check()}
        >
          {checking ? 'Verifying…' : 'Verify integrity'}
        </button>
        <span role="status" className="hint">
          {checking ? 'Asking the platform for its newest checkpoint and the proofs…' : ''}
        </span>
      </div>
      {s.phase === 'error' && s.error && (
        <CheckError error={s.error} retry={() => void store.getState().check()} />
      )}
      {s.result && <CheckResult result={s.result} checkedAt={s.checkedAt} stale={s.phase === 'error'} />}
    </section>
  );
}

function CheckError({ error, retry }: { error: AppError; retry: () => void }) {
  const action = { label: 'Try again', run: retry };
  if (error.code === 'unavailable')
    return (
      <Notice tone="offline" action={action}>
        <strong>Offline.</strong> The live check needs the platform, which cannot be reached. To verify
        without a network, open an export instead.
      </Notice>
    );
  const titles: Partial<Record<AppError['code'], string>> = {
    conflict: 'The checkpoint is not signed by a key this console trusts for this log.',
    forbidden: 'You are not allowed to read this log.',
    unauthenticated: 'Your session has ended; sign in again.',
  };
  return (
    <Notice tone="error" action={action}>
      <strong>{titles[error.code] ?? 'The check could not be completed.'}</strong> {error.message}
    </Notice>
  );
}

function CheckResult({
  result,
  checkedAt,
  stale,
}: {
  result: LiveCheck;
  checkedAt: string | null;
  stale: boolean;
}) {
  let verdict: ReactNode;
  if (result.status === 'fork')
    verdict = (
      <p className="check-verdict check-verdict--bad">
        <span aria-hidden="true">✕ </span>Fork: the platform showed a history that does not extend the one it
        showed before. See the alarm above.
      </p>
    );
  else if (result.status === 'first-seen')
    verdict = (
      <p className="check-verdict check-verdict--first">
        <span aria-hidden="true">● </span>First seen: this console had not checked this log before. It pinned
        the platform's key and stored this checkpoint; later checks prove the log only grew from here.
      </p>
    );
  else
    verdict = (
      <p className="check-verdict check-verdict--good">
        <span aria-hidden="true">✓ </span>Consistent: the log extends every checkpoint this console stored
        before.
      </p>
    );
  return (
    <div className="check-result">
      {stale && <p className="hint">The last result, from before the error:</p>}
      {verdict}
      <dl className="audit-facts audit-facts--grid">
        <Fact name="Log">{result.origin}</Fact>
        <Fact name="Size">{result.size.toLocaleString('en')} entries</Fact>
        <Fact name="Checked against">
          {result.checkedAgainst === 0
            ? 'no stored checkpoints (first check)'
            : `${result.checkedAgainst} stored checkpoint${result.checkedAgainst === 1 ? '' : 's'}`}
        </Fact>
        <Fact name="Key used">
          <code>{result.keyUsed}</code>
        </Fact>
        {checkedAt && <Fact name="Checked at">{utcTime(checkedAt)}</Fact>}
      </dl>
    </div>
  );
}
