import { useId } from 'react';
import { useSession } from '../../app-context';

/** Always visible: which organization and environment every screen below is about. */
export function TenantSwitcher() {
  const tenants = useSession((s) => s.tenants);
  const tenant = useSession((s) => s.tenant);
  const selectTenant = useSession((s) => s.selectTenant);
  const orgId = useId();
  const envId = useId();
  if (!tenant) return null;
  const environments = tenants.find((t) => t.organization === tenant.organization)?.environments ?? [];
  return (
    <fieldset className="tenant-switcher">
      <legend className="visually-hidden">Tenant</legend>
      <label htmlFor={orgId}>Organization</label>
      <select
        id={orgId}
        value={tenant.organization}
        onChange={(e) => {
          const next = tenants.find((t) => t.organization === e.target.value);
          if (next)
            selectTenant({ organization: next.organization, environment: next.environments[0] ?? 'test' });
        }}
      >
        {tenants.map((t) => (
          <option key={t.organization} value={t.organization}>
            {t.organizationName}
          </option>
        ))}
      </select>
      <label htmlFor={envId}>Environment</label>
      <select
        id={envId}
        value={tenant.environment}
        onChange={(e) =>
          selectTenant({ organization: tenant.organization, environment: e.target.value as 'test' | 'live' })
        }
      >
        {environments.map((env) => (
          <option key={env} value={env}>
            {env === 'live' ? 'Live' : 'Test'}
          </option>
        ))}
      </select>
      <span className={`env-badge env-badge--${tenant.environment}`}>
        {tenant.environment === 'live' ? 'LIVE — real data' : 'Test'}
      </span>
    </fieldset>
  );
}
