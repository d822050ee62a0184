import { z } from 'zod';
import {
  ApprovalList,
  ApprovalListQuery,
  ApprovalRequest,
  ApprovalResult,
  CommentRequest,
  CreateApprovalRequest,
  Policy,
  Timeline,
} from '../../api/approvals';
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
  'approvals.create': call({
    summary:
      'Raises a request: kind, title, the justification (`summary`, required of people), payload, the executed request it reverses, and evidence uploaded beforehand (`evidence.upload`), attached as it is created.',
    input: z.strictObject({ ...TenantCall, ...CreateApprovalRequest.shape }),
    output: z.object({ request: ApprovalRequest }),
    errors: [...errors, 'payload-too-large'],
  }),
  'approvals.withdraw': call({
    summary: 'The requester withdraws a pending request.',
    input: z.strictObject({ ...TenantCall, requestId: ApprovalId }),
    output: z.object({ request: ApprovalRequest }),
    errors,
  }),
  'approvals.comment': call({
    summary: "Adds a comment to a request's timeline (people only; comments are final).",
    input: z.strictObject({ ...TenantCall, requestId: ApprovalId, body: CommentRequest.shape.body }),
    output: z.object({ request: ApprovalRequest }),
    errors,
  }),
  'approvals.result': call({
    summary:
      'Collects what an executed request produced for its requester (a new secret), once: the secret is in this reply and nowhere else; the console keeps no copy.',
    input: z.strictObject({ ...TenantCall, requestId: ApprovalId }),
    output: ApprovalResult,
    errors,
  }),
  'policy.get': call({
    summary:
      "The tenant organization's approval policy, from which shared/approvals/lanes.ts tells the lane and approvals a request will take before it is raised.",
    input: z.strictObject({ ...TenantCall }),
    output: Policy,
    errors,
  }),
} as const;
