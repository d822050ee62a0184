import { z } from 'zod';

/** Permission strings are `resource:operation`; the list is closed so a typo cannot grant nothing silently. */
export const permissions = [
  'orgs:read',
  'members:read',
  'members:manage',
  'keys:read',
  'keys:manage',
  'approvals:read',
  'approvals:request',
  'approvals:decide',
  'evidence:read',
  'evidence:upload',
  'audit:read',
  'audit:export',
  'policy:manage',
] as const;

export const Permission = z.enum(permissions);
export type Permission = z.infer<typeof Permission>;

export const roleNames = ['owner', 'admin', 'compliance_officer', 'member', 'auditor', 'viewer'] as const;
export const RoleName = z.enum(roleNames);
export type RoleName = z.infer<typeof RoleName>;

/** Every `*:read` permission: what the viewer role holds, and what "any read scope" means for a key. */
export const readPermissions: readonly Permission[] = [
  'orgs:read',
  'members:read',
  'keys:read',
  'approvals:read',
  'evidence:read',
  'audit:read',
];

/** System roles. Owner and admin differ only in who may grant or remove the owner role. */
export const rolePermissions: Readonly<Record<RoleName, readonly Permission[]>> = {
  owner: permissions,
  admin: permissions,
  compliance_officer: [
    'orgs:read',
    'members:read',
    'keys:read',
    'approvals:read',
    'approvals:request',
    'approvals:decide',
    'evidence:read',
    'evidence:upload',
    'audit:read',
  ],
  member: [
    'orgs:read',
    'members:read',
    'approvals:read',
    'approvals:request',
    'evidence:read',
    'evidence:upload',
  ],
  auditor: ['audit:read', 'audit:export', 'evidence:read'],
  viewer: readPermissions,
};

export const roleDescriptions: Readonly<Record<RoleName, string>> = {
  owner: 'Full control, including granting and removing the owner role.',
  admin: 'Manages members, API keys and policy; cannot grant or remove the owner role.',
  compliance_officer: 'Reviews and decides approval requests and their evidence.',
  member: 'Raises approval requests and uploads evidence.',
  auditor: 'Reads and exports audit logs and reads evidence; nothing else.',
  viewer: 'Read-only access.',
};

export function roleAllows(role: RoleName, permission: Permission): boolean {
  return rolePermissions[role].includes(permission);
}

/**
 * Scopes an API key may carry. Keys never manage keys or members: a leaked machine credential must not be
 * able to mint more credentials or escalate a person's access.
 */
export const apiKeyScopes: readonly Permission[] = permissions.filter(
  (p) => p !== 'keys:manage' && p !== 'members:manage',
);
export const ApiKeyScope = Permission.refine((p) => apiKeyScopes.includes(p), {
  message: 'This permission cannot be granted to an API key',
});
