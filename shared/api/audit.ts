import { z } from 'zod';
import { AuditEntry } from '../audit/format';

const Index = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const AuditEntriesQuery = z.strictObject({
  /** Entries with seq below this, newest first; omitted means from the newest. */
  before: Index.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  action: z.string().max(100).optional(),
  actorId: z.string().max(100).optional(),
  resourceType: z.string().max(100).optional(),
  resourceId: z.string().max(200).optional(),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
});

export const AuditEntriesPage = z.object({
  entries: z.array(AuditEntry),
  size: z.number().int(),
  nextBefore: z.number().int().nullable(),
});
export type AuditEntriesPage = z.infer<typeof AuditEntriesPage>;

export const CheckpointReply = z.object({
  origin: z.string(),
  size: z.number().int(),
  root: z.string(),
  checkpoint: z.string(),
});
export type CheckpointReply = z.infer<typeof CheckpointReply>;

export const InclusionQuery = z.strictObject({ seq: Index, size: Index });
export const InclusionReply = z.object({
  seq: z.number().int(),
  size: z.number().int(),
  proof: z.array(z.string()),
});

export const ConsistencyQuery = z.strictObject({ from: Index, to: Index });
export const ConsistencyReply = z.object({
  from: z.number().int(),
  to: z.number().int(),
  proof: z.array(z.string()),
});

export const ExportQuery = z.strictObject({ start: Index.optional(), end: Index.optional() });

export const VerifierKeys = z.object({ current: z.string(), keys: z.array(z.string()) });

/** A signing-key announcement with its proof of inclusion under a checkpoint signed before the switch. */
export const KeyAnnouncements = z.object({
  announcements: z.array(
    z.object({
      seq: z.number().int(),
      /** The entry's exact canonical bytes, as hashed into the log. */
      entry: z.string(),
      checkpoint: z.object({ size: z.number().int(), root: z.string(), note: z.string() }),
      proof: z.array(z.string()),
    }),
  ),
});
export type KeyAnnouncements = z.infer<typeof KeyAnnouncements>;
