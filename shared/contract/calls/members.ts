import { z } from 'zod';
import { ApprovalRequest } from '../../api/approvals';
import { Id } from '../../api/common';
import { Directory } from '../../api/directory';
import { Member, MemberList } from '../../api/organizations';
import { RoleList } from '../../api/roles';
import { RoleName } from '../../domain/permissions';
import { call, ProfileRef, TenantCall, tenantCallErrors } from '../spec';

const errors = tenantCallErrors;

export const memberCalls = {
  'roles.list': call({
    summary: 'The roles and the permissions each grants, for the role-by-permission matrix.',
    input: z.strictObject({ profile: ProfileRef }),
    output: RoleList,
    errors,
  }),
  'members.list': call({
    summary: "The tenant organization's members and their roles.",
    input: z.strictObject({ ...TenantCall }),
    output: MemberList,
    errors,
  }),
  'members.changeRole': call({
    summary:
      "Changes a member's role where the policy's lane is green, or raises the member.role_change approval request in the tenant in use.",
    input: z.strictObject({ ...TenantCall, userId: Id, role: RoleName }),
    output: z.discriminatedUnion('outcome', [
      z.object({ outcome: z.literal('done'), member: Member }),
      z.object({ outcome: z.literal('approval-requested'), request: ApprovalRequest }),
    ]),
    errors,
  }),
  'directory.get': call({
    summary:
      "Everyone the tenant's records name (members with roles, and people who have left, marked removed) and its API keys with their owners, so history shows names.",
    input: z.strictObject({ ...TenantCall }),
    output: Directory,
    errors,
  }),
} as const;
