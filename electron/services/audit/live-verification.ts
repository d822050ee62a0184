import { auditApi } from '../../../shared/api/routes';
import { parseOrigin } from '../../../shared/audit/format';
import { fromBase64, toBase64 } from '../../../shared/audit/hash';
import { MerkleHasher, verifyConsistency } from '../../../shared/audit/merkle';
import { nodeAuditCrypto } from '../../../shared/audit/node-crypto';
import {
  describeKey,
  parseCheckpointBody,
  parseNote,
  parseVerifierKey,
  type VerifierKey,
  verifyNote,
} from '../../../shared/audit/note';
import type { TenantRef } from '../../../shared/contract/spec';
import { fail, ok, type Result } from '../../../shared/result';
import type { EvidenceCache } from '../cache/evidence-cache';
import type { EventBus } from '../contract/event-bus';
import type { PlatformClient } from '../platform/platform-client';
import type { ProfileSessions } from '../profiles/profile-sessions';
import type { Profile } from '../vault/vault';
import { followAnnouncedKeys, type LogParams } from './key-succession';

/** Where the console keeps what it has seen of each log (the evidence cache's database). */
export type AuditTrustStore = Pick<
  EvidenceCache,
  'pinnedKeys' | 'pinKeys' | 'checkpoints' | 'saveCheckpoint'
>;

export interface LiveVerification {
  readonly status: 'consistent' | 'first-seen' | 'fork';
  readonly origin: string;
  readonly size: number;
  readonly checkedAgainst: number;
  readonly keyUsed: string;
  /** Both signed notes when the platform showed a history that does not extend what it showed before. */
  readonly evidence: readonly string[];
}

const hasher = new MerkleHasher(nodeAuditCrypto);

/**
 * The live check of a tenant's log: the newest signed checkpoint must verify under the keys pinned for
 * its origin (pinned at first contact), and must extend every checkpoint this console stored before,
 * each by a consistency proof. Anything else is a fork: the platform showed two histories.
 */
export class LiveAuditCheck {
  constructor(
    private readonly profiles: ProfileSessions,
    private readonly trust: AuditTrustStore,
    private readonly events: EventBus,
  ) {}

  async verify(profile: Profile, tenant: TenantRef): Promise<Result<LiveVerification>> {
    const client = await this.profiles.client(profile);
    if (!client.ok) return client;
    const log: LogParams = { org: tenant.organization, env: tenant.environment };
    const latest = await client.value.call(auditApi.checkpoint, { params: log });
    if (!latest.ok) return latest;
    const origin = latest.value.origin;
    // Pins and stored checkpoints are kept per log origin: a platform must not pick another tenant's log
    // (or a new name) to start over at "first seen".
    const named = parseOrigin(origin);
    if (!named || named.organization !== tenant.organization || named.environment !== tenant.environment)
      return fail('conflict', 'The platform answered with the log of another tenant.');

    const known = this.trust.pinnedKeys(profile, origin);
    if (!known.ok) return known;
    let pinned = known.value;
    if (pinned.length === 0) {
      // Trust on first use: the keys the platform publishes now are pinned for this log from here on.
      const published = await client.value.call(auditApi.verifierKeys, {});
      if (!published.ok) return published;
      pinned = published.value.keys;
      const saved = this.trust.pinKeys(profile, origin, pinned);
      if (!saved.ok) return saved;
    }
    const keys = pinned.map((k) => parseVerifierKey(nodeAuditCrypto, k)).filter((k): k is VerifierKey => !!k);
    const note = parseNote(latest.value.checkpoint);
    const body = note && parseCheckpointBody(note.text);
    const root = fromBase64(latest.value.root);
    if (
      !note ||
      !body ||
      !root ||
      body.origin !== origin ||
      body.size !== latest.value.size ||
      toBase64(body.root) !== latest.value.root
    )
      return fail('internal', 'The platform sent a checkpoint that is not well formed.');
    const seen = this.trust.checkpoints(profile, origin);
    if (!seen.ok) return seen;
    const stored = seen.value;
    let verdict = verifyNote(nodeAuditCrypto, note, keys);
    if (verdict.status === 'unknown-key') {
      // The platform may have rotated its signing key: follow only what the log itself proves.
      const followed = await followAnnouncedKeys(client.value, log, origin, pinned, stored);
      if (!followed.ok) return followed;
      if (followed.value.length > 0) {
        pinned = [...pinned, ...followed.value];
        const saved = this.trust.pinKeys(profile, origin, pinned);
        if (!saved.ok) return saved;
        keys.push(
          ...followed.value
            .map((k) => parseVerifierKey(nodeAuditCrypto, k))
            .filter((k): k is VerifierKey => !!k),
        );
        verdict = verifyNote(nodeAuditCrypto, note, keys);
      }
    }
    if (verdict.status !== 'valid') {
      return fail(
        'conflict',
        verdict.status === 'unknown-key'
          ? 'The checkpoint is signed by a key this console has not pinned for this log, and the log proves no announcement of it.'
          : 'The checkpoint signature does not verify under the pinned key.',
      );
    }

    for (const before of stored) {
      const consistent = await this.#extends(client.value, log, before, body.size, body.root);
      if (!consistent.ok) return consistent;
      if (!consistent.value) {
        const evidence = [before.note, latest.value.checkpoint];
        this.events.emit('audit.fork', { profile, origin, evidence });
        return ok({
          status: 'fork',
          origin,
          size: body.size,
          checkedAgainst: stored.length,
          keyUsed: describeKey(verdict.key),
          evidence,
        });
      }
    }
    if (!stored.some((s) => s.size === body.size)) {
      const saved = this.trust.saveCheckpoint(profile, origin, {
        size: body.size,
        root: latest.value.root,
        note: latest.value.checkpoint,
      });
      if (!saved.ok) return saved;
    }
    return ok({
      status: stored.length === 0 ? 'first-seen' : 'consistent',
      origin,
      size: body.size,
      checkedAgainst: stored.length,
      keyUsed: describeKey(verdict.key),
      evidence: [],
    });
  }

  async #extends(
    client: PlatformClient,
    log: LogParams,
    before: { size: number; root: string },
    size: number,
    root: Uint8Array,
  ): Promise<Result<boolean>> {
    const oldRoot = fromBase64(before.root);
    if (!oldRoot || before.size > size) return ok(false);
    if (before.size === size) return ok(toBase64(root) === before.root);
    if (before.size === 0) return ok(true);
    const proof = await client.call(auditApi.consistency, {
      params: log,
      query: { from: before.size, to: size },
    });
    if (!proof.ok) return proof;
    const path = proof.value.proof.map((p) => fromBase64(p) ?? new Uint8Array(0));
    return ok(verifyConsistency(hasher, before.size, size, oldRoot, root, path));
  }
}
