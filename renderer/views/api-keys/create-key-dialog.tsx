import { type FormEvent, useId, useState } from 'react';
import { apiKeyScopes, type Permission } from '../../../shared/domain/permissions';
import { Dialog } from '../../components/dialog';
import type { CreateKeyRequest } from '../../stores/api-keys-store';
import { useApiKeys, useApiKeysStore } from './use-api-keys';

type Problem = 'name' | 'scopes' | 'expiry';
const problems: Readonly<Record<Problem, string>> = {
  name: 'Give the key a name (at most 100 characters).',
  scopes: 'Choose at least one scope.',
  expiry: 'Enter a whole number of days from 1 to 3650, or leave it empty.',
};

/** The form's fields as a request, or the first thing wrong with them. */
function requestOf(name: string, scopes: readonly Permission[], expiry: string): CreateKeyRequest | Problem {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 100) return 'name';
  if (scopes.length === 0) return 'scopes';
  if (expiry.trim() === '') return { name: trimmed, scopes: [...scopes] };
  if (!/^\d+$/.test(expiry.trim())) return 'expiry';
  const days = Number(expiry.trim());
  if (days < 1 || days > 3650) return 'expiry';
  return { name: trimmed, scopes: [...scopes], expiresInDays: days };
}

/** Name, scopes (keys never manage keys or members) and an optional lifetime for a new key. */
export function CreateKeyDialog({ live, onClose }: { live: boolean; onClose: () => void }) {
  const store = useApiKeysStore();
  const write = useApiKeys((s) => s.write);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Permission[]>([]);
  const [expiry, setExpiry] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const ids = { name: useId(), expiry: useId(), problem: useId(), scopes: useId() };
  const working = write.phase === 'working';

  const toggle = (scope: Permission, on: boolean) => {
    setScopes((s) => (on ? [...s, scope] : s.filter((x) => x !== scope)));
    if (problem === 'scopes') setProblem(null);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const request = requestOf(name, scopes, expiry);
    if (typeof request === 'string') return setProblem(request);
    setProblem(null);
    setFailed(null);
    const outcome = await store.getState().create(request);
    if (outcome.phase === 'failed') setFailed(outcome.error.message);
    else onClose();
  };

  const invalid = (field: Problem) => ({
    'aria-invalid': problem === field,
    'aria-describedby': problem === field ? ids.problem : undefined,
  });

  return (
    <Dialog title="Create API key" onCancel={onClose} className="key-dialog">
      <form onSubmit={(e) => void submit(e)} noValidate>
        {live && (
          <p className="dialog__live">
            LIVE — a key here reaches real data; the policy may ask for approval.
          </p>
        )}
        <label htmlFor={ids.name}>Name</label>
        <input
          id={ids.name}
          data-autofocus
          value={name}
          maxLength={100}
          autoComplete="off"
          onChange={(e) => {
            setName(e.target.value);
            if (problem === 'name') setProblem(null);
          }}
          {...invalid('name')}
        />
        <fieldset
          className="scope-picker"
          aria-describedby={problem === 'scopes' ? `${ids.scopes} ${ids.problem}` : ids.scopes}
        >
          <legend>Scopes</legend>
          <p id={ids.scopes} className="hint">
            What the key may do. Keys can never manage keys or members.
          </p>
          <div className="scope-picker__grid">
            {apiKeyScopes.map((scope) => (
              <label key={scope} className="scope-picker__item">
                <input
                  type="checkbox"
                  checked={scopes.includes(scope)}
                  onChange={(e) => toggle(scope, e.target.checked)}
                />
                {scope}
              </label>
            ))}
          </div>
        </fieldset>
        <label htmlFor={ids.expiry}>Expires after (days, optional)</label>
        <input
          id={ids.expiry}
          className="key-dialog__days"
          inputMode="numeric"
          value={expiry}
          placeholder="never"
          onChange={(e) => {
            setExpiry(e.target.value);
            if (problem === 'expiry') setProblem(null);
          }}
          {...invalid('expiry')}
        />
        {problem && (
          <p id={ids.problem} className="field-error" role="alert">
            {problems[problem]}
          </p>
        )}
        {failed && (
          <p className="field-error" role="alert">
            {failed}
          </p>
        )}
        <div className="dialog__actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={working}>
            {working ? 'Creating…' : 'Create key'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
