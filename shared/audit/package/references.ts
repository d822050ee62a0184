import type { FindingList } from '../findings';
import { KEY_ANNOUNCEMENT_ACTION } from '../format';
import { type AuditCrypto, equalBytes, fromBase64 } from '../hash';
import { MerkleHasher, verifyConsistency, verifyInclusion } from '../merkle';
import {
  type Checkpoint,
  describeKey,
  parseCheckpointBody,
  parseNote,
  parseVerifierKey,
  type VerifierKey,
  verifyNote,
} from '../note';
import type { AnyFindingClass } from '../report';
import { parseLine } from './entries';
import type { PackageAnnouncement, References } from './format';

const encoder = new TextEncoder();

function proofOf(proof: readonly string[]): Uint8Array[] | undefined {
  const hashes = proof.map((p) => fromBase64(p));
  return hashes.every((h) => h?.length === 32) ? (hashes as Uint8Array[]) : undefined;
}

function included(
  crypto: AuditCrypto,
  entry: string,
  seq: number,
  checkpoint: Checkpoint,
  proof: readonly string[],
): boolean {
  const hasher = new MerkleHasher(crypto);
  const path = proofOf(proof);
  return (
    path !== undefined &&
    verifyInclusion(hasher, hasher.leaf(encoder.encode(entry)), seq, checkpoint.size, path, checkpoint.root)
  );
}

/** The host part of an origin (`<host>/audit/<org>/<env>`): a key is the platform's, for all its logs. */
function hostOf(origin: string): string {
  return origin.split('/audit/')[0] ?? '';
}

/**
 * Follows signing-key rotations: an announcement counts once its entry is proven, by inclusion, under a
 * checkpoint that verifies with a key already trusted (pinned, or announced and proven before it).
 * Returns the pinned keys and every key so proven.
 */
export function proveAnnouncements(
  crypto: AuditCrypto,
  pinned: readonly VerifierKey[],
  announcements: readonly PackageAnnouncement[],
  host: string,
  findings: FindingList<AnyFindingClass>,
): VerifierKey[] {
  const keys = [...pinned];
  const pending = [...announcements];
  for (let progress = true; progress; ) {
    progress = false;
    for (const a of [...pending]) {
      const note = parseNote(a.checkpoint);
      const checkpoint = note && parseCheckpointBody(note.text);
      if (!note || !checkpoint || verifyNote(crypto, note, keys).status !== 'valid') continue;
      pending.splice(pending.indexOf(a), 1);
      const value = parseLine(a.entry) as {
        action?: unknown;
        change?: { after?: { verifierKey?: unknown } };
      };
      const announced = value?.change?.after?.verifierKey;
      const key = typeof announced === 'string' ? parseVerifierKey(crypto, announced) : undefined;
      if (
        checkpoint.origin !== a.origin ||
        hostOf(a.origin) !== host ||
        value?.action !== KEY_ANNOUNCEMENT_ACTION ||
        !key ||
        !included(crypto, a.entry, a.seq, checkpoint, a.proof)
      ) {
        findings.add({
          class: 'entry-modified',
          seq: a.seq,
          path: 'log/announcements.json',
          message: `the key announcement at seq ${a.seq} of ${a.origin} is not proven by its checkpoint`,
        });
        continue;
      }
      if (!keys.some((k) => k.keyId === key.keyId && equalBytes(k.publicKey, key.publicKey))) keys.push(key);
      progress = true;
    }
  }
  for (const a of pending) {
    findings.add({
      class: 'unknown-key',
      seq: a.seq,
      path: 'log/announcements.json',
      message: `the key announcement at seq ${a.seq} of ${a.origin} is under a checkpoint no trusted key signed`,
    });
  }
  return keys;
}

export interface ProvenReference {
  readonly origin: string;
  readonly seq: number;
  readonly entry: string;
}

export interface ReferenceContext {
  readonly ownOrigin: string;
  /** The logs references may come from besides the package's own (the organization's live log). */
  readonly otherOrigins: readonly string[];
  /** The export's last checkpoint, as it claims it (the log walk proves it). */
  readonly closing: Checkpoint | undefined;
}

/**
 * Proves each reference by its inclusion proof against one of the listed checkpoints, each verified under
 * a trusted key. A checkpoint of the package's own log must be the export's closing one, or reach it by a
 * consistency proof: one history, not two. Every reference that fails is a finding, and is not used.
 */
export function proveReferences(
  crypto: AuditCrypto,
  keys: readonly VerifierKey[],
  references: References,
  context: ReferenceContext,
  findings: FindingList<AnyFindingClass>,
): ProvenReference[] {
  const path = 'references/references.json';
  const hasher = new MerkleHasher(crypto);
  const checkpoints = references.checkpoints.map((c, index) => {
    const note = parseNote(c.note);
    const checkpoint = note && parseCheckpointBody(note.text);
    const fail = (cls: AnyFindingClass, message: string) => {
      findings.add({ class: cls, path, message: `reference checkpoint ${index}: ${message}` });
      return undefined;
    };
    if (!note || !checkpoint) return fail('malformed', 'not a signed checkpoint');
    const own = checkpoint.origin === context.ownOrigin;
    if (!own && !context.otherOrigins.includes(checkpoint.origin))
      return fail('wrong-origin', `a checkpoint of ${checkpoint.origin}`);
    const verdict = verifyNote(crypto, note, keys);
    if (verdict.status === 'unknown-key') return fail('unknown-key', 'signed by no key this verifier knows');
    if (verdict.status === 'bad-signature')
      return fail('bad-signature', `its signature by ${describeKey(verdict.key)} does not verify`);
    const closing = context.closing;
    if (own && closing) {
      const proof = proofOf(c.consistency ?? []);
      const consistent =
        checkpoint.size === closing.size
          ? equalBytes(checkpoint.root, closing.root)
          : checkpoint.size > closing.size &&
            proof !== undefined &&
            verifyConsistency(hasher, closing.size, checkpoint.size, closing.root, checkpoint.root, proof);
      if (!consistent) return fail('fork', "it is not one history with the export's last checkpoint");
    }
    return checkpoint;
  });
  const proven: ProvenReference[] = [];
  for (const r of references.entries) {
    const checkpoint = checkpoints[r.checkpoint];
    if (!checkpoint) {
      findings.add({ class: 'malformed', seq: r.seq, path, message: 'reference under no valid checkpoint' });
      continue;
    }
    const own = (parseLine(r.entry) as { seq?: unknown } | undefined)?.seq;
    if (own !== r.seq || !included(crypto, r.entry, r.seq, checkpoint, r.proof)) {
      findings.add({
        class: 'entry-modified',
        seq: r.seq,
        path,
        message: `the reference to seq ${r.seq} of ${checkpoint.origin} does not match its inclusion proof`,
      });
      continue;
    }
    proven.push({ origin: checkpoint.origin, seq: r.seq, entry: r.entry });
  }
  return proven;
}
