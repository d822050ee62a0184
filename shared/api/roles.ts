import { z } from 'zod';
import { Permission, RoleName } from '../domain/permissions';

export const RoleList = z.object({
  permissions: z.array(Permission),
  roles: z.array(z.object({ name: RoleName, description: z.string(), permissions: z.array(Permission) })),
});
export type RoleList = z.infer<typeof RoleList>;
