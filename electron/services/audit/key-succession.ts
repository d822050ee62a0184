import { auditApi } from '../../../shared/api/routes';
import { KEY_ANNOUNCEMENT_ACTION } from '../../../shared/audit/format';
import { fromBase64, toBase64 } from '../../../shared/audit/hash';
import { MerkleHasher, verifyConsistency, verifyInclusion } from '../../../shared/audit/merkle';
import { nodeAuditCrypto } from '../../../shared/audit/node-crypto';
import {
  parseCheckpointBody,
  parseNote,
  parseVerifierKey,
  type VerifierKey,
  verifyNote,
} from '../../../shared/audit/note';
import { ok, type Result } from '../../../shared/result';
import type { PlatformClient } from '../platform/platform-client';

const hasher = new MerkleHasher(nodeAuditCrypto);
const encoder = new TextEncoder();

/** The log of one tenant, as the audit routes' path parameters name it. */
export interface LogParams {
  readonly org: string;
  readonly env: 'test' | 'live';
}

interface KnownCheckpoint {
  readonly size: number;
  readonly root: string;
}

/** Whether two checkpoints of one log can both be true: the smaller is a prefix of the larger. */
async function consistent(
  client: PlatformClient,
  log: LogParams,
  a: KnownCheckpoint,
  b: KnownCheckpoint,
): Promise<Result<boolean>> {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  if (small.size === large.size) return ok(small.root === large.root);
  if (small.size === 0) return ok(true);
  const proof = await client.call(auditApi.consistency, {
    params: log,
    query: { from: small.size, to: large.size },
  });
  if (!proof.ok) return proof;
  const first = fromBase64(small.root);
  const second = fromBase64(large.root);
  if (!first || !second) return ok(false);
  const path = proof.value.proof.map((p) => fromBase64(p) ?? new Uint8Array(0));
  return ok(verifyConsistency(hasher, small.size, large.size, first, second, path));
}

/**
 * Follows signing-key rotations the way an offline verifier does, without trusting the platform: a new
 * key is accepted only from an announcement entry proven (by an inclusion proof) to sit under a
 * checkpoint signed by a key already trusted, a checkpoint consistent with every one stored before.
 * Answers the verifier keys newly proven, in order.
 */
export async function followAnnouncedKeys(
  client: PlatformClient,
  log: LogParams,
  origin: string,
  pinned: readonly string[],
  stored: readonly KnownCheckpoint[],
): Promise<Result<string[]>> {
  const reply = await client.call(auditApi.keyAnnouncements, { params: log });
  if (!reply.ok) return reply;
  const trusted: VerifierKey[] = pinned
    .map((k) => parseVerifierKey(nodeAuditCrypto, k))
    .filter((k): k is VerifierKey => !!k);
  const proven: string[] = [];
  for (const announcement of [...reply.value.announcements].sort((a, b) => a.seq - b.seq)) {
    let entry: { action?: unknown; change?: { after?: { verifierKey?: unknown } } | null };
    try {
      entry = JSON.parse(announcement.entry);
    } catch {
      continue;
    }
    const announced = entry.change?.after?.verifierKey;
    if (entry.action !== KEY_ANNOUNCEMENT_ACTION || typeof announced !== 'string') continue;
    const key = parseVerifierKey(nodeAuditCrypto, announced);
    if (!key || pinned.includes(announced) || proven.includes(announced)) continue;

    const note = parseNote(announcement.checkpoint.note);
    const body = note && parseCheckpointBody(note.text);
    const root = fromBase64(announcement.checkpoint.root);
    if (!note || !body || !root || body.origin !== origin || body.size !== announcement.checkpoint.size)
      continue;
    if (toBase64(body.root) !== announcement.checkpoint.root) continue;
    if (verifyNote(nodeAuditCrypto, note, trusted).status !== 'valid') continue;
    const leaf = hasher.leaf(encoder.encode(announcement.entry));
    const path = announcement.proof.map((p) => fromBase64(p) ?? new Uint8Array(0));
    if (!verifyInclusion(hasher, leaf, announcement.seq, body.size, path, root)) continue;
    let fits = true;
    for (const before of stored) {
      const checked = await consistent(client, log, before, announcement.checkpoint);
      if (!checked.ok) return checked;
      fits &&= checked.value;
    }
    if (!fits) continue;
    trusted.push(key);
    proven.push(announced);
  }
  return ok(proven);
}
