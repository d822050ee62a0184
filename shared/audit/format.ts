import { z } from 'zod';
import { Environment } from '../domain/environments';

/** The export file format's name and version (audit-format.md); a change to the format needs a new one. */
export const EXPORT_FORMAT = 'cc-audit-export/1';

export function auditOrigin(host: string, organization: string, environment: Environment): string {
  return `${host}/audit/${organization}/${environment}`;
}

/** `<host>/audit/<org>/<env>` split into its parts, or undefined. */
export function parseOrigin(
  origin: string,
): { host: string; organization: string; environment: string } | undefined {
  const match = origin.match(/^([^/\s]+)\/audit\/([a-z0-9-]+)\/(test|live)$/);
  if (!match) return undefined;
  return { host: match[1] as string, organization: match[2] as string, environment: match[3] as string };
}

export const ExportHeader = z.strictObject({
  format: z.literal(EXPORT_FORMAT),
  origin: z.string().min(1).max(512),
  organization: z.string().min(1).max(64),
  environment: Environment,
  start: z.number().int().min(0),
  end: z.number().int().min(0),
  exportedAt: z.iso.datetime(),
  prefix: z.array(z.string().max(64)).max(64),
});
export type ExportHeader = z.infer<typeof ExportHeader>;

export const AuditActor = z.object({
  type: z.enum(['user', 'api-key', 'system', 'anonymous']),
  id: z.string(),
});
export type AuditActor = z.infer<typeof AuditActor>;

export const AuditRequestMeta = z.object({
  id: z.string(),
  ip: z.string(),
  userAgent: z.string(),
});
export type AuditRequestMeta = z.infer<typeof AuditRequestMeta>;

/** One audit entry as stored, served and exported (the exported line is its RFC 8785 canonical JSON). */
export const AuditEntry = z.object({
  seq: z.number().int().min(0),
  ts: z.iso.datetime(),
  actor: AuditActor,
  action: z.string(),
  resource: z.object({ type: z.string(), id: z.string() }),
  organization: z.string(),
  environment: Environment,
  request: AuditRequestMeta.nullable(),
  change: z.object({ before: z.unknown(), after: z.unknown() }).nullable(),
  outcome: z.enum(['success', 'failure']),
  signature: z
    .object({
      keyId: z.string(),
      algorithm: z.literal('Ed25519'),
      value: z.string(),
      payloadHash: z.string(),
    })
    .optional(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** The action of the entry an export writes about itself; `change.after` holds {start, end, exportedAt}. */
export const EXPORT_ACTION = 'audit.export';

/** The action of the entry that announces a new checkpoint-signing key; `change.after.verifierKey` holds it. */
export const KEY_ANNOUNCEMENT_ACTION = 'audit.signing_key.rotate';
