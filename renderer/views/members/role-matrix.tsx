import type { RoleList } from '../../stores/members-store';
import { roleLabels } from './role-names';

/**
 * Which role grants which permission: permissions down, roles across, each cell a mark that screen
 * readers hear as "granted" or "not granted" with its row and column headers.
 */
export function RoleMatrix({ roles }: { roles: RoleList }) {
  return (
    <>
      <div className="role-matrix__scroll">
        <table className="role-matrix">
          <caption>Permissions each role grants</caption>
          <thead>
            <tr>
              <th scope="col">Permission</th>
              {roles.roles.map((role) => (
                <th key={role.name} scope="col">
                  {roleLabels[role.name]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {roles.permissions.map((permission) => (
              <tr key={permission}>
                <th scope="row">
                  <code>{permission}</code>
                </th>
                {roles.roles.map((role) => {
                  const granted = role.permissions.includes(permission);
                  return (
                    <td key={role.name} className={granted ? 'role-matrix__yes' : 'role-matrix__no'}>
                      <span aria-hidden="true">{granted ? '✓' : '–'}</span>
                      <span className="visually-hidden">{granted ? 'granted' : 'not granted'}</span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <dl className="role-notes">
        {roles.roles.map((role) => (
          <div key={role.name}>
            <dt>{roleLabels[role.name]}</dt>
            <dd>{role.description}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}
