import { useSession } from '../../app-context';
import { TenantSwitcher } from './tenant-switcher';

/** The signed-in frame: who, where (tenant), and the screens for that tenant. */
export function ConsoleShell() {
  const active = useSession((s) => s.active);
  const tenant = useSession((s) => s.tenant);
  const signOut = useSession((s) => s.signOut);
  if (!active) return null;
  return (
    <div className={`shell shell--${tenant?.environment ?? 'test'}`}>
      <header className="shell__header">
        <span className="shell__brand">Compliance Console</span>
        <TenantSwitcher />
        <span className="shell__who">{active.label}</span>
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <main className="shell__main">
        <h1>{tenant ? `${tenant.organization} · ${tenant.environment}` : 'No organization'}</h1>
      </main>
    </div>
  );
}
