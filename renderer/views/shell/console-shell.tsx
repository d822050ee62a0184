import { type ReactNode, useState } from 'react';
import { useSession } from '../../app-context';
import { ApiKeysScreen } from '../api-keys/api-keys-screen';
import { ApprovalsScreen } from '../approvals/approvals-screen';
import { AuditScreen } from '../audit/audit-screen';
import { CachedEvidenceScreen } from '../evidence/cached-evidence-screen';
import { MembersScreen } from '../members/members-screen';
import { PolicyScreen } from '../policy/policy-screen';
import { SettingsScreen } from '../settings/settings-screen';
import { DirectoryName } from './directory-name';
import { NavigationContext } from './navigation';
import { OfflineIndicator } from './offline-indicator';
import { TenantSwitcher } from './tenant-switcher';

/** A screen of the signed-in console: its place in the navigation and what it renders. */
export interface ConsoleScreen {
  readonly id: string;
  readonly label: string;
  render(): ReactNode;
}

/**
 * The screens the navigation offers, in order; the first is where the console opens. Only screens that
 * exist are listed: append yours here when it ships. Slots kept for, in this order after Approvals:
 *   { id: 'api-keys', label: 'API keys' }, { id: 'members', label: 'Members & roles' },
 *   { id: 'audit', label: 'Audit' }, { id: 'settings', label: 'Settings' }.
 */
export const consoleScreens: ConsoleScreen[] = [
  { id: 'approvals', label: 'Approvals', render: () => <ApprovalsScreen /> },
  { id: 'api-keys', label: 'API keys', render: () => <ApiKeysScreen /> },
  { id: 'members', label: 'Members & roles', render: () => <MembersScreen /> },
  { id: 'policy', label: 'Policy', render: () => <PolicyScreen /> },
  { id: 'evidence', label: 'Evidence', render: () => <CachedEvidenceScreen /> },
  { id: 'audit', label: 'Audit', render: () => <AuditScreen /> },
  { id: 'settings', label: 'Settings', render: () => <SettingsScreen /> },
];

/** The signed-in frame: who, where (tenant), the navigation, and the screen in use for that tenant. */
export function ConsoleShell() {
  const active = useSession((s) => s.active);
  const tenant = useSession((s) => s.tenant);
  const signOut = useSession((s) => s.signOut);
  const [screenId, setScreenId] = useState(consoleScreens[0]?.id);
  if (!active) return null;
  const screen = consoleScreens.find((s) => s.id === screenId) ?? consoleScreens[0];
  return (
    <div className={`shell shell--${tenant?.environment ?? 'test'}`}>
      <header className="shell__header">
        <span className="shell__brand">Compliance Console</span>
        <TenantSwitcher />
        <OfflineIndicator />
        <span className="shell__who">
          <DirectoryName id={active.profile.principalId} fallback={active.label} />
        </span>
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <div className="shell__body">
        {consoleScreens.length > 0 && (
          <nav className="shell__nav" aria-label="Console sections">
            <ul>
              {consoleScreens.map((s) => (
                <li key={s.id}>
                  <button
                    type="button"
                    aria-current={s.id === screen?.id ? 'page' : undefined}
                    onClick={() => setScreenId(s.id)}
                  >
                    {s.label}
                  </button>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <main className="shell__main">
          <NavigationContext value={setScreenId}>
            {tenant ? screen?.render() : <h1>No organization</h1>}
          </NavigationContext>
        </main>
      </div>
    </div>
  );
}
