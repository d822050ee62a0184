import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rotateAuditSigningKey } from '../../../platform/audit/key-rotation';
import { KEY_ANNOUNCEMENT_ACTION } from '../../../shared/audit/format';
import { fromBase64 } from '../../../shared/audit/hash';
import { MerkleHasher, verifyInclusion } from '../../../shared/audit/merkle';
import { nodeAuditCrypto } from '../../../shared/audit/node-crypto';
import { parseCheckpointBody, parseNote, parseVerifierKey, verifyNote } from '../../../shared/audit/note';
import { appendEntries, tenantOf } from '../../helpers/audit';
import { startPlatform, type TestPlatform } from '../../helpers/platform';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(() => platform.stop());

describe('signing-key announcements', () => {
  it('serve each announcement with a checkpoint signed by the previous key and a proof that includes it', async () => {
    await appendEntries(platform, tenantOf(platform, 'acme', 'test'), 40);
    const previous = platform.ctx.auditKeys.verifierKeys.at(-1) ?? '';
    const { current } = await rotateAuditSigningKey(platform.ctx);
    await appendEntries(platform, tenantOf(platform, 'acme', 'test'), 5);
    const auditor = await platform.signIn(platform.user('acme', 'auditor'));
    const reply = await platform.call('GET', '/v1/orgs/acme/envs/test/audit/key-announcements', {
      token: auditor.accessToken,
    });
    expect(reply.status).toBe(200);
    const [announcement] = reply.json.announcements;
    const entry = JSON.parse(announcement.entry);
    expect(entry).toMatchObject({
      action: KEY_ANNOUNCEMENT_ACTION,
      change: { after: { verifierKey: current } },
    });

    const note = parseNote(announcement.checkpoint.note);
    const oldKey = parseVerifierKey(nodeAuditCrypto, previous);
    expect(note && oldKey && verifyNote(nodeAuditCrypto, note, [oldKey]).status).toBe('valid');
    const body = note && parseCheckpointBody(note.text);
    expect(body?.size).toBe(announcement.checkpoint.size);
    expect(announcement.seq).toBeLessThan(announcement.checkpoint.size);

    const hasher = new MerkleHasher(nodeAuditCrypto);
    const proof = announcement.proof.map((p: string) => fromBase64(p) ?? new Uint8Array());
    const root = fromBase64(announcement.checkpoint.root) ?? new Uint8Array();
    const leaf = hasher.leaf(new TextEncoder().encode(announcement.entry));
    expect(verifyInclusion(hasher, leaf, announcement.seq, announcement.checkpoint.size, proof, root)).toBe(
      true,
    );
    // One byte of the entry changed and the proof no longer holds.
    const forged = hasher.leaf(new TextEncoder().encode(announcement.entry.replace('"test"', '"live"')));
    expect(verifyInclusion(hasher, forged, announcement.seq, announcement.checkpoint.size, proof, root)).toBe(
      false,
    );
  });
});
