import { z } from 'zod';
import { ApprovalId } from '../api/common';
import { errorCodes } from '../result';

import { apiKeyCalls } from './calls/api-keys';
import { appCalls } from './calls/app';
import { approvalCalls } from './calls/approvals';
import { auditCalls } from './calls/audit';
import { auditPackageCalls } from './calls/audit-package';
import { deviceCalls } from './calls/devices';
import { evidenceCalls } from './calls/evidence';
import { fileCalls } from './calls/files';
import { lifecycleCalls } from './calls/lifecycle';
import { memberCalls } from './calls/members';
import { reviewCalls } from './calls/reviews';
import { sessionCalls } from './calls/session';
import { tenantCalls } from './calls/tenants';

import { ProfileRef, TenantRef } from './spec';

export { type CallSpec, ProfileRef, TenantRef } from './spec';

/**
 * Every call between the renderer and the main process, declared once (per feature, in calls/): its input
 * and output schemas and the errors it may answer with. The preload bridge, the IPC handlers, the
 * headless host and the renderer's client are all typed from this; nothing is declared twice. Secrets
 * never appear in an output, except a new secret (an API key's, or what an executed request produced),
 * once, in the one answer that hands it over.
 */
export const contract = {
  ...appCalls,
  ...sessionCalls,
  ...tenantCalls,
  ...apiKeyCalls,
  ...approvalCalls,
  ...auditCalls,
  ...auditPackageCalls,
  ...deviceCalls,
  ...evidenceCalls,
  ...fileCalls,
  ...memberCalls,
  ...lifecycleCalls,
  ...reviewCalls,
} as const;

export type Contract = typeof contract;
export type CallName = keyof Contract;
export const callNames = Object.keys(contract) as CallName[];
export type CallInput<N extends CallName> = z.infer<Contract[N]['input']>;
export type CallOutput<N extends CallName> = z.infer<Contract[N]['output']>;

/** Pushed from main to renderer, never requested. */
export const events = {
  'session.expired': z.object({ profile: ProfileRef }),
  progress: z.object({ task: z.string(), done: z.number().min(0), total: z.number().min(0) }),
  /** The platform showed a history of this log that does not extend one it showed before. */
  'audit.fork': z.object({ profile: ProfileRef, origin: z.string(), evidence: z.array(z.string()) }),
  /**
   * This console wrote to a request (raised, decided, withdrew, commented on it, or added evidence): every
   * window on that tenant refreshes what it shows of it at once.
   */
  'approvals.changed': z.object({ profile: ProfileRef, tenant: TenantRef, requestId: ApprovalId }),
} as const;
export type EventName = keyof typeof events;

/** What crosses the boundary for every call: a value, or an error that is safe to show. */
export const ContractReply = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.enum(errorCodes), message: z.string() }) }),
]);
export type ContractReply = z.infer<typeof ContractReply>;
