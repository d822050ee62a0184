import { z } from 'zod';
import { ApprovalList, ApprovalListQuery, ApprovalRequest, Timeline } from '../../api/approvals';
import { ApprovalId } from '../../api/common';
import { signedText } from '../../text/free-text';
import { call, TenantCall, tenantCallErrors } from '../spec';

const errors = tenantCallErrors;

export const approvalCalls = {
  'approvals.list': call({
    summary: "The tenant's approval queue, filtered and paged.",
    input: z.strictObject({ ...TenantCall, query: ApprovalListQuery.partial().default({}) }),
    output: ApprovalList,
    errors,
  }),
  'approvals.get': call({
    summary: 'One request with its decisions, evidence and timeline.',
    input: z.strictObject({ ...TenantCall, requestId: ApprovalId }),
    output: z.object({ request: ApprovalRequest, timeline: Timeline }),
    errors,
  }),
  'approvals.decide': call({
    summary:
      'Approves or rejects: the main process signs the decision statement with the device key (red lane: with a fresh TOTP) and answers with what was signed.',
    input: z.strictObject({
      ...TenantCall,
      requestId: ApprovalId,
      decision: z.enum(['approve', 'reject']),
      comment: signedText(4000).default(''),
      totp: z
        .string()
        .regex(/^[0-9]{6}$/, 'Expected a 6-digit code')
        .optional(),
    }),
    output: z.object({ request: ApprovalRequest, signedStatement: z.string(), deviceKeyId: z.string() }),
    errors: [...errors, 'invalid-credentials'],
  }),
} as const;
