import { useEffect, useRef, useState } from 'react';
import { useSession } from '../../app-context';
import './keychain.css';

/**
 * The first screen when the OS keychain cannot be used: what is missing and how to fix it, in plain words,
 * before anyone types a password. Nothing is offered that would need a secret kept.
 */
export function KeychainMissingView() {
  const keychain = useSession((s) => s.keychain);
  const { checkKeychain, load } = useSession((s) => s);
  const [checking, setChecking] = useState(false);
  const [stillMissing, setStillMissing] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  if (keychain.status !== 'missing') return null;

  const checkAgain = async () => {
    setChecking(true);
    const available = await checkKeychain();
    setChecking(false);
    setStillMissing(!available);
    if (available) await load();
  };

  return (
    <main className="sign-in keychain-missing">
      <h1 ref={heading} tabIndex={-1}>
        The console needs the OS keychain
      </h1>
      <p>{keychain.problem}</p>
      <h2>How to fix it</h2>
      <p>{keychain.fix}</p>
      <button
        type="button"
        onClick={() => void checkAgain()}
        disabled={checking}
        aria-describedby="keychain-status"
      >
        {checking ? 'Checking…' : 'Check again'}
      </button>
      <p id="keychain-status" role="status" className="keychain-missing__status">
        {stillMissing && !checking ? 'Still no keychain. Start or unlock it, then check again.' : ''}
      </p>
    </main>
  );
}
