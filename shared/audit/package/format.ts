import { z } from 'zod';
import { Environment } from '../../domain/environments';

/**
 * The audit package (README, "The audit package"): one ZIP of STORED entries holding a period's log
 * export, the key announcements and earlier entries it depends on (each with an inclusion proof), the
 * evidence its requests name, and a manifest. Everything here is an external contract: change it only
 * with a new format version.
 */
export const PACKAGE_FORMAT = 'cc-audit-package/1';

export const MANIFEST_PATH = 'manifest.jsonl';
export const EXPORT_PATH = 'log/export.jsonl';
export const ANNOUNCEMENTS_PATH = 'log/announcements.json';
export const REFERENCES_PATH = 'references/references.json';
export const EVIDENCE_DIR = 'evidence/';

export function evidencePath(sha256: string): string {
  return `${EVIDENCE_DIR}${sha256}`;
}

/** The only names a package may hold: no directories of its own, no traversal, nothing absolute. */
const EVIDENCE_NAME = /^evidence\/([0-9a-f]{64})$/;
const FIXED_NAMES: ReadonlySet<string> = new Set([
  MANIFEST_PATH,
  EXPORT_PATH,
  ANNOUNCEMENTS_PATH,
  REFERENCES_PATH,
]);

export function isPackagePath(path: string): boolean {
  return FIXED_NAMES.has(path) || EVIDENCE_NAME.test(path);
}

/** The SHA-256 an evidence file's name promises, or undefined for other files. */
export function evidenceHashOfPath(path: string): string | undefined {
  return EVIDENCE_NAME.exec(path)?.[1];
}

/** Bounds on what a hostile package may make the verifier hold or do. */
export const limits = {
  files: 100_000,
  manifestBytes: 16 * 1024 * 1024,
  referencesBytes: 64 * 1024 * 1024,
  announcementsBytes: 4 * 1024 * 1024,
  references: 200_000,
  proofHashes: 64,
  /** A file inside a package (the export of a long period can be large; evidence is at most 10 MiB). */
  fileBytes: 2 ** 40,
} as const;

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
const Base64Hash = z.string().regex(/^[A-Za-z0-9+/]{43}=$/);
const Index = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** The manifest's first line. */
export const ManifestHeader = z.strictObject({
  format: z.literal(PACKAGE_FORMAT),
  /** The package's own log, and the other logs its references come from (the organization's live log). */
  origins: z.strictObject({
    log: z.string().min(1).max(512),
    references: z.array(z.string().min(1).max(512)).max(8),
  }),
  organization: z.string().min(1).max(64),
  environment: Environment,
  /** The period as asked (RFC 3339, `to` exclusive) and the seq range [start, end) it maps to. */
  period: z.strictObject({
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    start: Index,
    end: Index,
  }),
  createdAt: z.iso.datetime(),
  files: z.number().int().min(0).max(limits.files),
});
export type ManifestHeader = z.infer<typeof ManifestHeader>;

/** Every other line: one file of the package. */
export const ManifestFile = z.strictObject({
  path: z.string().max(200).refine(isPackagePath, 'not a package path'),
  size: z.number().int().min(0).max(limits.fileBytes),
  sha256: Sha256Hex,
});
export type ManifestFile = z.infer<typeof ManifestFile>;

const Proof = z.array(Base64Hash).max(limits.proofHashes);

/** A signing-key announcement, as the platform serves it, with the origin of the log it is in. */
export const PackageAnnouncement = z.strictObject({
  origin: z.string().min(1).max(512),
  seq: Index,
  /** The entry's exact canonical bytes. */
  entry: z.string().max(64 * 1024),
  checkpoint: z.string().max(64 * 1024),
  proof: Proof,
});
export type PackageAnnouncement = z.infer<typeof PackageAnnouncement>;

export const Announcements = z.strictObject({
  announcements: z.array(PackageAnnouncement).max(1000),
});
export type Announcements = z.infer<typeof Announcements>;

/**
 * Earlier entries the period's checks depend on. Each is proven by an inclusion proof against one of the
 * signed checkpoints listed; a checkpoint of the package's own log at another size than the export's last
 * carries a consistency proof from it, so both are one history.
 */
export const References = z.strictObject({
  checkpoints: z
    .array(
      z.strictObject({
        note: z.string().max(64 * 1024),
        /** For the package's own log at a size past the export's end: RFC 6962 consistency proof from it. */
        consistency: Proof.optional(),
      }),
    )
    .max(64),
  entries: z
    .array(
      z.strictObject({
        /** Index into `checkpoints`. */
        checkpoint: z.number().int().min(0).max(63),
        seq: Index,
        entry: z.string().max(256 * 1024),
        proof: Proof,
      }),
    )
    .max(limits.references),
});
export type References = z.infer<typeof References>;

/** What yazl writes and the reader insists on, so that no byte of the layout goes unchecked. */
export const zipConventions = {
  /** DOS date 1980-01-01, time 00:00: a package's bytes do not depend on when it was written. */
  dosDate: 0x21,
  dosTime: 0,
  mode: 0o100644,
  versionMadeBy: (3 << 8) | 63,
} as const;
