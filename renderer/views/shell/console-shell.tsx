import { type ReactNode, useState } from 'react';
import type { Tenant } from '../../../shared/contract/calls/tenants';
import { type Permission, type RoleName, roleAllows, roleNames } from '../../../shared/domain/permissions';
import { useSession } from '../../app-context';
import { ApiKeysScreen } from '../api-keys/api-keys-screen';
import { ApprovalsScreen } from '../approvals/approvals-screen';
import { AuditScreen } from '../audit/audit-screen';
import { EvidenceScreen } from '../evidence/evidence-screen';
import { MembersScreen } from '../members/members-screen';
import { PolicyScreen } from '../policy/policy-screen';
import { ReviewsScreen } from '../reviews/reviews-screen';
import { SettingsScreen } from '../settings/settings-screen';
import { DirectoryName } from './directory-name';
import { NavigationContext } from './navigation';
import { OfflineIndicator } from './offline-indicator';
import { TenantSwitcher } from './tenant-switcher';

/** A screen of the signed-in console: its place in the navigation and what it renders. */
export interface ConsoleScreen {
  readonly id: string;
  readonly label: string;
  /** What a role must allow for the screen to be of use; screens a person cannot use are not offered. */
  readonly needs?: Permission;
  render(): ReactNode;
}

/**
 * The screens the navigation offers, in order; the first is where the console opens. Only screens that
 * exist are listed: append yours here when it ships. Slots kept for, in this order after Approvals:
 *   { id: 'api-keys', label: 'API keys' }, { id: 'members', label: 'Members & roles' },
 *   { id: 'audit', label: 'Audit' }, { id: 'settings', label: 'Settings' }.
 */
export const consoleScreens: ConsoleScreen[] = [
  { id: 'approvals', label: 'Approvals', needs: 'approvals:read', render: () => <ApprovalsScreen /> },
  { id: 'api-keys', label: 'API keys', needs: 'keys:read', render: () => <ApiKeysScreen /> },
  { id: 'members', label: 'Members & roles', needs: 'members:read', render: () => <MembersScreen /> },
  { id: 'policy', label: 'Policy', needs: 'orgs:read', render: () => <PolicyScreen /> },
  // Reviews are read by those who decide and those who read the audit log; audit:read covers both here.
  { id: 'reviews', label: 'Access reviews', needs: 'audit:read', render: () => <ReviewsScreen /> },
  { id: 'evidence', label: 'Evidence', render: () => <EvidenceScreen /> },
  { id: 'audit', label: 'Audit', needs: 'audit:read', render: () => <AuditScreen /> },
  { id: 'settings', label: 'Settings', render: () => <SettingsScreen /> },
];

function offers(screen: ConsoleScreen, tenant: Tenant | undefined): boolean {
  if (!screen.needs || !tenant) return true;
  if (tenant.scopes) return tenant.scopes.includes(screen.needs);
  return !isRoleName(tenant.role) || roleAllows(tenant.role, screen.needs);
}

/** The signed-in frame: who, where (tenant), the navigation, and the screen in use for that tenant. */
export function ConsoleShell() {
  const active = useSession((s) => s.active);
  const tenant = useSession((s) => s.tenant);
  const signOut = useSession((s) => s.signOut);
  const tenants = useSession((s) => s.tenants);
  const [screenId, setScreenId] = useState<string | undefined>(undefined);
  if (!active) return null;
  // A person's role in this organization decides which screens are offered, an API key's scopes in force
  // decide for a key; the platform checks every call either way.
  const here = tenants.find((t) => t.organization === tenant?.organization);
  const offered = consoleScreens.filter((s) => offers(s, here));
  const screen = offered.find((s) => s.id === screenId) ?? offered[0];
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
        {offered.length > 0 && (
          <nav className="shell__nav" aria-label="Console sections">
            <ul>
              {offered.map((s) => (
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

function isRoleName(role: string): role is RoleName {
  return (roleNames as readonly string[]).includes(role);
}
