import { createHash, createPrivateKey, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nodeAuditCrypto } from '../../../shared/audit/node-crypto';
import {
  formatVerifierKey,
  parseCheckpointBody,
  parseNote,
  parseVerifierKey,
  signNote,
  verifyNote,
} from '../../../shared/audit/note';

// The signed-note reference vector of golang.org/x/mod/sumdb/note.
const GO_VERIFIER_KEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const GO_SIGNER_SEED = 'AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const GO_TEXT =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_NOTE = `${GO_TEXT}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

function goPrivateKey() {
  const seed = Buffer.from(GO_SIGNER_SEED, 'base64').subarray(1);
  return createPrivateKey({
    key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]),
    format: 'der',
    type: 'pkcs8',
  });
}

describe('C2SP signed notes', () => {
  it('reads the Go reference verifier key and accepts the Go reference note', () => {
    const key = parseVerifierKey(nodeAuditCrypto, GO_VERIFIER_KEY);
    expect(key?.name).toBe('PeterNeumann');
    expect(key?.keyId).toBe(0xc74f20a3);
    const note = parseNote(GO_NOTE);
    expect(note?.text).toBe(GO_TEXT);
    expect(verifyNote(nodeAuditCrypto, note!, [key!]).status).toBe('valid');
  });

  it('signs the Go reference text byte for byte as the Go implementation does', () => {
    const key = parseVerifierKey(nodeAuditCrypto, GO_VERIFIER_KEY)!;
    const privateKey = goPrivateKey();
    const note = signNote(nodeAuditCrypto, GO_TEXT, 'PeterNeumann', key.publicKey, (m) =>
      sign(null, m, privateKey),
    );
    expect(note).toBe(GO_NOTE);
    expect(formatVerifierKey(nodeAuditCrypto, 'PeterNeumann', key.publicKey)).toBe(GO_VERIFIER_KEY);
  });

  it('reads a verifier key whose base64 material contains a plus sign', () => {
    // A key from transparency-dev/formats' tests, chosen for the '+' in its material.
    const key = parseVerifierKey(
      nodeAuditCrypto,
      'TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6',
    );
    expect(key?.name).toBe('TEST');
  });

  it('rejects an altered body, an altered key name and a key with a wrong id', () => {
    const key = parseVerifierKey(nodeAuditCrypto, GO_VERIFIER_KEY)!;
    const alteredBody = parseNote(GO_NOTE.replace('cryptography', 'cryptographY'))!;
    expect(verifyNote(nodeAuditCrypto, alteredBody, [key]).status).toBe('bad-signature');
    const renamed = parseNote(GO_NOTE.replace('\u2014 PeterNeumann', '\u2014 PeterNeuman'))!;
    expect(verifyNote(nodeAuditCrypto, renamed, [key]).status).toBe('unknown-key');
    expect(
      parseVerifierKey(nodeAuditCrypto, GO_VERIFIER_KEY.replace('c74f20a3', 'c74f20a4')),
    ).toBeUndefined();
  });

  it('never throws on hostile notes', () => {
    const samples = [
      '',
      '\n',
      'x\n\n',
      `${GO_TEXT}\n\u2014 \n`,
      `${GO_TEXT}\n\u2014 a b c\n`,
      `${GO_TEXT}\n- PeterNeumann AAAA\n`,
      GO_NOTE.slice(0, -1),
      '\u0000\n\n\u2014 a AAAAAAA=\n',
    ];
    for (const sample of samples) expect(() => parseNote(sample)).not.toThrow();
    for (const sample of samples) expect(parseNote(sample)).toBeUndefined();
  });
});

describe('checkpoints signed by the platform', () => {
  it('verify under an independent reading of the signed-note rules', async () => {
    const { startPlatform } = await import('../../helpers/platform');
    const platform = await startPlatform();
    try {
      const owner = (await platform.signIn(platform.user('acme', 'owner'))).accessToken;
      const reply = await platform.call('GET', '/v1/orgs/acme/envs/live/audit/checkpoint', { token: owner });
      expect(reply.status).toBe(200);
      const note: string = reply.json.checkpoint;
      const keyString: string = (await platform.call('GET', '/v1/audit/verifier-keys')).json.current;

      // Written from the format's own text, sharing no code with shared/audit/note.ts.
      const [, name, idHex, material] = keyString.match(
        /^([^+]+)\+([0-9a-f]{8})\+(.+)$/,
      ) as unknown as string[];
      if (!name || !idHex || !material) throw new Error('verifier key is not name+id+material');
      const raw = Buffer.from(material, 'base64');
      expect(raw[0]).toBe(1);
      const publicKey = raw.subarray(1);
      const id = createHash('sha256')
        .update(Buffer.concat([Buffer.from(`${name}\n`), Buffer.of(1), publicKey]))
        .digest()
        .subarray(0, 4);
      expect(id.toString('hex')).toBe(idHex);
      const split = note.lastIndexOf('\n\n');
      const text = note.slice(0, split + 1);
      const sigLine = note.slice(split + 2).trimEnd();
      expect(sigLine.startsWith(`\u2014 ${name} `)).toBe(true);
      const blob = Buffer.from(sigLine.slice(`\u2014 ${name} `.length), 'base64');
      expect(blob.subarray(0, 4).equals(id)).toBe(true);
      const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), publicKey]);
      const { createPublicKey, verify } = await import('node:crypto');
      const pub = createPublicKey({ key: spki, format: 'der', type: 'spki' });
      expect(verify(null, Buffer.from(text), pub, blob.subarray(4))).toBe(true);
      expect(verify(null, Buffer.from(text.replace(/\n\d+\n/, '\n999\n')), pub, blob.subarray(4))).toBe(
        false,
      );

      const body = parseCheckpointBody(text);
      expect(body?.origin).toBe('compliance.localhost/audit/acme/live');
      expect(body?.size).toBe(reply.json.size);
      const parsedKey = parseVerifierKey(nodeAuditCrypto, keyString)!;
      const renamedNote = note.replace(`\u2014 ${name} `, `\u2014 ${name}x `);
      expect(verifyNote(nodeAuditCrypto, parseNote(renamedNote)!, [parsedKey]).status).toBe('unknown-key');
      const bodyAltered = note.replace('/live\n', '/test\n');
      expect(verifyNote(nodeAuditCrypto, parseNote(bodyAltered)!, [parsedKey]).status).toBe('bad-signature');
    } finally {
      await platform.stop();
    }
  });
});
