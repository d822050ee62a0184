import { z } from 'zod';
import { PACKAGE_FORMAT } from '../../audit/package/format';
import { findingClasses, packageFindingClasses } from '../../audit/report';
import { call, FileId, GrantedFile, TaskId, TenantCall } from '../spec';
import { VerificationReport } from './audit';
import { SaveId } from './files';

/** What a saved audit package holds, as its manifest states it (shared/audit/package/format.ts). */
export const PackageManifestSummary = z.object({
  format: z.literal(PACKAGE_FORMAT),
  origins: z.object({ log: z.string(), references: z.array(z.string()) }),
  organization: z.string(),
  environment: z.enum(['test', 'live']),
  period: z.object({ from: z.string(), to: z.string(), start: z.number(), end: z.number() }),
  createdAt: z.string(),
  files: z.number(),
});

export const PackageExportResult = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('saved'),
    file: GrantedFile,
    sha256: z.string(),
    manifest: PackageManifestSummary,
    /** Evidence the log names that the platform no longer serves (deleted by an approved request). */
    missingEvidence: z.array(z.string()),
  }),
  z.object({ outcome: z.literal('cancelled') }),
]);
export type PackageExportResult = z.infer<typeof PackageExportResult>;

export const LogExportResult = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('saved'),
    file: GrantedFile,
    sha256: z.string(),
    range: z.object({ start: z.number(), end: z.number() }),
  }),
  z.object({ outcome: z.literal('cancelled') }),
]);
export type LogExportResult = z.infer<typeof LogExportResult>;

/** The HTML and CSV reports a verification saved beside the file (null for an uploaded file). */
export const SavedReports = z.object({ html: GrantedFile, csv: GrantedFile }).nullable();

const PackageFinding = z.object({
  class: z.enum([...findingClasses, ...packageFindingClasses]),
  message: z.string(),
  seq: z.number().optional(),
  window: z.object({ start: z.number(), end: z.number() }).optional(),
  line: z.number().optional(),
  evidence: z.array(z.string()).optional(),
  request: z.string().optional(),
  path: z.string().optional(),
});

const Decision = z.object({
  seq: z.number(),
  decision: z.enum(['approve', 'reject', 'unreadable']),
  decider: z.string(),
  deviceKey: z.string(),
});

export const PackageReport = z.object({
  kind: z.literal('package'),
  verdict: z.enum(['verified', 'tampered', 'unverifiable']),
  usable: z.boolean(),
  cancelled: z.boolean(),
  packageSha256: z.string().nullable(),
  packageSize: z.number(),
  organization: z.string().nullable(),
  environment: z.string().nullable(),
  period: z.object({ from: z.string(), to: z.string(), start: z.number(), end: z.number() }).nullable(),
  createdAt: z.string().nullable(),
  log: VerificationReport.omit({ findings: true, findingsOmitted: true }).nullable(),
  keysUsed: z.array(z.string()),
  counts: z.object({
    decisions: z.number(),
    evidenceFiles: z.number(),
    references: z.number(),
    announcedKeys: z.number(),
  }),
  sample: z
    .object({
      n: z.number(),
      seed: z.string(),
      closing: z.object({ origin: z.string(), size: z.number(), root: z.string() }),
      proven: z.boolean(),
      population: z.number(),
      requests: z.array(
        z.object({
          requestId: z.string(),
          rank: z.string(),
          kind: z.string().nullable(),
          raisedSeq: z.number().nullable(),
          decisions: z.array(Decision),
          evidence: z.array(z.string()),
          findings: z.array(PackageFinding),
        }),
      ),
    })
    .nullable(),
  findings: z.array(PackageFinding),
  findingsOmitted: z.number(),
});
export type PackageReport = z.infer<typeof PackageReport>;

export const PackageVerificationResult = z.object({
  fileName: z.string(),
  verifiedAt: z.string(),
  report: PackageReport,
  reports: SavedReports,
});
export type PackageVerificationResult = z.infer<typeof PackageVerificationResult>;

const Period = { from: z.iso.datetime(), to: z.iso.datetime() };

export const auditPackageCalls = {
  'audit.exportPackage': call({
    summary:
      "Builds the tenant's audit package for a period (log export, key announcements, proven references, evidence, manifest) from the platform and saves it where the auditor chose (a save id from files.chooseSave or files.saveInFolder), with `progress` events under the task id; `audit.cancel` stops it and leaves nothing behind. The saved file comes back as a granted file id.",
    input: z.strictObject({ ...TenantCall, taskId: TaskId, ...Period, target: SaveId }),
    output: PackageExportResult,
    errors: [
      'bad-request',
      'unauthenticated',
      'forbidden',
      'not-found',
      'conflict',
      'unavailable',
      'internal',
    ],
  }),
  'audit.exportLog': call({
    summary:
      "The tenant's log export for a period (its entries with their checkpoints), streamed from the platform to where the auditor chose, with `progress` events; `audit.cancel` stops it and leaves nothing behind.",
    input: z.strictObject({ ...TenantCall, taskId: TaskId, ...Period, target: SaveId }),
    output: LogExportResult,
    errors: [
      'bad-request',
      'unauthenticated',
      'forbidden',
      'not-found',
      'conflict',
      'unavailable',
      'internal',
    ],
  }),
  'audit.verifyPackage': call({
    summary:
      'Verifies an audit package offline (log, decisions, device keys, membership, evidence, manifest), drawing a sample of `sample` requests from the checkpoint that closes its period when asked, with `progress` events; saves the HTML and CSV reports beside a saved package. `audit.cancel` stops it.',
    input: z.strictObject({
      taskId: TaskId,
      fileId: FileId,
      keys: z.array(z.string().min(1).max(500)).min(1).max(20),
      sample: z.number().int().min(0).max(10_000).optional(),
    }),
    output: PackageVerificationResult,
    errors: ['bad-request', 'not-found', 'conflict', 'internal'],
  }),
  'audit.openReport': call({
    summary:
      'Opens a report a verification saved: in the system viewer (Electron), or, in the headless host, answers the address of a page of its own that shows it (sandboxed, no script).',
    input: z.strictObject({ fileId: FileId }),
    output: z.discriminatedUnion('opened', [
      z.object({ opened: z.literal('system') }),
      z.object({ opened: z.literal('page'), url: z.string() }),
    ]),
    errors: ['not-found', 'internal'],
  }),
} as const;
