import { z } from 'zod';
import { Environment } from '../domain/environments';
import { RoleName } from '../domain/permissions';
import { Id, OrgSlug, Timestamp } from './common';

export const Organization = z.object({
  id: Id,
  slug: OrgSlug,
  name: z.string(),
  environments: z.array(Environment),
  createdAt: Timestamp,
});
export type Organization = z.infer<typeof Organization>;

export const OrganizationList = z.object({ organizations: z.array(Organization) });

export const OrgParams = z.strictObject({ org: OrgSlug });
export const TenantParams = z.strictObject({ org: OrgSlug, env: Environment });

export const Member = z.object({
  userId: Id,
  email: z.string(),
  displayName: z.string(),
  role: RoleName,
  joinedAt: Timestamp,
  /** Suspended members are refused everywhere in the organization until resumed. */
  suspended: z.boolean(),
  /** A time-limited role in force now, over `role`, and until when. */
  elevation: z.object({ id: z.string(), role: RoleName, endsAt: Timestamp }).nullable(),
  lastSignInAt: Timestamp.nullable(),
  /** No sign-in for 90 days (counted from joining when there was none). */
  unused90Days: z.boolean(),
});
export type Member = z.infer<typeof Member>;
export const MemberList = z.object({ members: z.array(Member) });

export const MemberParams = z.strictObject({ org: OrgSlug, userId: Id });
export const ChangeRoleRequest = z.strictObject({ role: RoleName });
