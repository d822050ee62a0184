import { z } from 'zod';
import {
  Elevation,
  ElevationId,
  ElevationList,
  Grants,
  Invitation,
  InvitationId,
  InvitationList,
} from '../../api/lifecycle';
import { call, TenantCall, tenantCallErrors } from '../spec';

const errors = tenantCallErrors;

/**
 * Member lifecycle in the console: invitations and elevations are read and ended here; everything that
 * grants or removes access (invite, remove, suspend, resume, elevate, hand over, revoke) is an approval
 * request raised with `approvals.create`.
 */
export const lifecycleCalls = {
  'invitations.list': call({
    summary: "The organization's invitations: pending ones by default, or all of them.",
    input: z.strictObject({ ...TenantCall, status: z.enum(['pending', 'all']).optional() }),
    output: InvitationList,
    errors,
  }),
  'invitations.revoke': call({
    summary: 'Revokes a pending invitation (it lowers access, so it needs no approval); audited.',
    input: z.strictObject({ ...TenantCall, invitationId: InvitationId }),
    output: Invitation,
    errors,
  }),
  'elevations.list': call({
    summary: 'Who holds an elevated role now, and until when (or every elevation, for history).',
    input: z.strictObject({ ...TenantCall, status: z.enum(['active', 'all']).optional() }),
    output: ElevationList,
    errors,
  }),
  'elevations.end': call({
    summary: 'Ends an elevation early (it lowers access, so it needs no approval); audited.',
    input: z.strictObject({ ...TenantCall, elevationId: ElevationId }),
    output: Elevation,
    errors,
  }),
  'grants.get': call({
    summary:
      "Every grant of the tenant now (members, API keys, device keys) with its last use and the 90-day flag, and whether a key's owner was removed.",
    input: z.strictObject({ ...TenantCall }),
    output: Grants,
    errors,
  }),
} as const;
