import { z } from 'zod';
import { errorCodes } from '../result';

export const Id = z.string().regex(/^[a-z]{2,4}_[0-9a-z]{16,32}$/, 'Expected an id');
export const OrgSlug = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, 'Expected an organization slug');
export const Timestamp = z.iso.datetime();
export const ApprovalId = z.string().regex(/^apr_[a-z2-7]{26}$/, 'Expected an approval request id');

export const ErrorBody = z.object({
  error: z.object({
    code: z.enum(errorCodes),
    message: z.string(),
    requestId: z.string(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const Health = z.object({ status: z.literal('ok') });
