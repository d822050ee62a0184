import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useSession } from '../../app-context';

/** Sign-in: the browser (people) or an API key (auditors, service accounts). */
export function SignInView() {
  const defaultUrl = useSession((s) => s.defaultPlatformUrl);
  const profiles = useSession((s) => s.profiles);
  const signIn = useSession((s) => s.signIn);
  const error = useSession((s) => s.error);
  const actions = useSession((s) => s);
  const [platformUrl, setPlatformUrl] = useState('');
  const [apiKey, setApiKey] = useState('');
  const urlId = useId();
  const keyId = useId();
  const openLink = useRef<HTMLAnchorElement>(null);
  const addressInput = useRef<HTMLInputElement>(null);
  const [addressMissing, setAddressMissing] = useState(false);
  const addressHint = useId();

  // The suggestion fills the field once, and never after the person has typed in it.
  const edited = useRef(false);
  useEffect(() => {
    const suggestion = profiles[0]?.platformOrigin ?? defaultUrl ?? '';
    if (!edited.current && suggestion) setPlatformUrl(suggestion);
  }, [defaultUrl, profiles]);
  useEffect(() => {
    if (signIn.status === 'waiting' && !signIn.opened) openLink.current?.focus();
  }, [signIn]);

  const busy = signIn.status === 'starting' || signIn.status === 'waiting';
  const withBrowser = (event: FormEvent) => {
    event.preventDefault();
    void actions.signInWithBrowser(platformUrl.trim());
  };
  const withKey = (event: FormEvent) => {
    event.preventDefault();
    // The address lives in the other form: say so there, and keep the key that was typed.
    if (!platformUrl.trim()) {
      setAddressMissing(true);
      addressInput.current?.focus();
      return;
    }
    const key = apiKey.trim();
    setApiKey('');
    void actions.signInWithApiKey(platformUrl.trim(), key);
  };

  return (
    <main className="sign-in">
      <h1>Sign in to Compliance Console</h1>
      {error && (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      )}
      <form onSubmit={withBrowser} aria-label="Sign in with browser">
        <label htmlFor={urlId}>Platform address</label>
        <input
          id={urlId}
          ref={addressInput}
          type="url"
          required
          value={platformUrl}
          aria-invalid={addressMissing && !platformUrl.trim()}
          aria-describedby={addressMissing && !platformUrl.trim() ? addressHint : undefined}
          onChange={(e) => {
            edited.current = true;
            setPlatformUrl(e.target.value);
          }}
          placeholder="https://compliance.example.com"
          autoComplete="url"
          disabled={busy}
        />
        {addressMissing && !platformUrl.trim() && (
          <p id={addressHint} className="notice notice--error" role="alert">
            Enter the platform address first: an API key is checked against the platform it belongs to.
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          Sign in with browser
        </button>
      </form>

      {signIn.status === 'starting' && <p role="status">Contacting the platform…</p>}
      {signIn.status === 'waiting' && (
        <section className="notice" aria-live="polite">
          {signIn.opened ? (
            <p>Continue in your browser; this window updates when you are signed in.</p>
          ) : (
            <p>
              <a ref={openLink} href={signIn.authorizationUrl} target="_blank" rel="noopener noreferrer">
                Open the platform's sign-in page
              </a>{' '}
              and sign in there; this window updates when you are done.
            </p>
          )}
          <button type="button" onClick={() => void actions.cancelSignIn()}>
            Cancel sign-in
          </button>
        </section>
      )}
      {signIn.status === 'failed' && (
        <p className="notice notice--error" role="alert">
          {signIn.message}
        </p>
      )}

      <form onSubmit={withKey} aria-label="Use an API key" className="sign-in__key">
        <h2>Use an API key</h2>
        <p className="hint">
          For auditors and service accounts. The key is kept in the system keychain only.
        </p>
        <label htmlFor={keyId}>API key</label>
        <input
          id={keyId}
          type="password"
          required
          value={apiKey}
          onChange={(e) => setApiKey(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          disabled={busy}
        />
        <button type="submit" disabled={busy}>
          Sign in with API key
        </button>
      </form>

      {profiles.length > 0 && (
        <section aria-label="Saved profiles">
          <h2>Saved profiles</h2>
          <ul className="profiles">
            {profiles.map((p) => (
              <li key={`${p.platformOrigin}|${p.principalId}`}>
                <button
                  type="button"
                  onClick={() => void actions.openProfile(p, p.principalId)}
                  disabled={busy}
                >
                  Continue as {p.principalId} on {p.platformOrigin}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}
