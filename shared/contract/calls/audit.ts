import { z } from 'zod';
import { AuditEntriesPage, AuditEntriesQuery } from '../../api/audit';
import { findingClasses } from '../../audit/report';
import { call, FileId, GrantedFile, ProfileRef, TaskId, TenantCall } from '../spec';

const Range = z.object({ start: z.number(), end: z.number() }).nullable();

export const VerificationReport = z.object({
  verdict: z.enum(['verified', 'tampered', 'unverifiable']),
  usable: z.boolean(),
  cancelled: z.boolean(),
  origin: z.string().nullable(),
  requested: Range,
  verified: Range,
  entriesRead: z.number(),
  checkpointsRead: z.number(),
  keysUsed: z.array(z.string()),
  latestVerified: z
    .object({ origin: z.string(), size: z.number(), root: z.string(), note: z.string() })
    .nullable(),
  trusted: z.array(z.object({ size: z.number(), status: z.enum(['consistent', 'fork', 'not-covered']) })),
  findings: z.array(
    z.object({
      class: z.enum(findingClasses),
      message: z.string(),
      seq: z.number().optional(),
      window: z.object({ start: z.number(), end: z.number() }).optional(),
      line: z.number().optional(),
      evidence: z.array(z.string()).optional(),
    }),
  ),
  findingsOmitted: z.number(),
});

export const ExportVerificationResult = z.object({
  fileName: z.string(),
  fileSha256: z.string().nullable(),
  verifiedAt: z.string(),
  report: VerificationReport,
  /** The HTML and CSV reports saved beside a file the person saved; null for an upload. */
  reports: z.object({ html: GrantedFile, csv: GrantedFile }).nullable(),
});
export type ExportVerificationResult = z.infer<typeof ExportVerificationResult>;

export const auditCalls = {
  'audit.entries': call({
    summary: "The tenant's live audit log, newest first, filtered by actor, action, resource and time.",
    input: z.strictObject({ ...TenantCall, query: AuditEntriesQuery.partial().default({}) }),
    output: AuditEntriesPage,
    errors: ['bad-request', 'unauthenticated', 'forbidden', 'unavailable'],
  }),
  'files.chooseExport': call({
    summary:
      'Asks the user for an audit export file (the system open dialog); the renderer gets an id, a name and a size, never a path. The headless host takes uploads instead.',
    input: z.strictObject({}),
    output: z.object({ file: GrantedFile.nullable() }),
    errors: ['bad-request', 'not-found'],
  }),
  'audit.verifierKeys': call({
    summary: "The platform's published verifier keys, to pin for offline verification.",
    input: z.strictObject({ profile: ProfileRef }),
    output: z.object({ current: z.string(), keys: z.array(z.string()) }),
    errors: ['unauthenticated', 'unavailable'],
  }),
  'audit.verifyExport': call({
    summary:
      'Verifies an export file offline in a worker thread, with `progress` events under the task id; `audit.cancel` stops it.',
    input: z.strictObject({
      taskId: TaskId,
      fileId: FileId,
      keys: z.array(z.string().min(1).max(500)).min(1).max(20),
      trusted: z.array(z.string().max(10_000)).max(1000).optional(),
      expectedOrigin: z.string().max(300).optional(),
    }),
    output: ExportVerificationResult,
    errors: ['bad-request', 'not-found', 'conflict', 'internal'],
  }),
  'audit.cancel': call({
    summary: 'Cancels a running verification, package or log export.',
    input: z.strictObject({ taskId: TaskId }),
    output: z.object({ cancelled: z.boolean() }),
    errors: ['bad-request'],
  }),
  'audit.verifyLive': call({
    summary:
      "Checks the tenant's newest signed checkpoint against the pinned key and every checkpoint this console stored before (consistency proofs); a fork raises `audit.fork`.",
    input: z.strictObject({ ...TenantCall }),
    output: z.object({
      status: z.enum(['consistent', 'first-seen', 'fork']),
      origin: z.string(),
      size: z.number(),
      checkedAgainst: z.number(),
      keyUsed: z.string(),
      evidence: z.array(z.string()),
    }),
    errors: ['unauthenticated', 'forbidden', 'conflict', 'unavailable', 'internal'],
  }),
} as const;
