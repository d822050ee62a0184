import type { RoleName } from '../../../shared/domain/permissions';

export const roleLabels: Readonly<Record<RoleName, string>> = {
  owner: 'Owner',
  admin: 'Admin',
  compliance_officer: 'Compliance officer',
  member: 'Member',
  auditor: 'Auditor',
  viewer: 'Viewer',
};
