import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Device, decide, registerDevice } from '../../helpers/approvals';
import { tenantOf } from '../../helpers/audit';
import { rawSql, startPlatform, type TestPlatform } from '../../helpers/platform';

let platform: TestPlatform;
let admin: string;
let officer: string;
let officerDevice: Device;
const base = '/v1/orgs/acme/envs/live/evidence';
const approvals = '/v1/orgs/acme/envs/live/approvals';
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('rest of a png'),
]);

beforeAll(async () => {
  platform = await startPlatform();
  admin = (await platform.signIn(platform.user('acme', 'admin'))).accessToken;
  officer = (await platform.signIn(platform.user('acme', 'compliance_officer'))).accessToken;
  officerDevice = await registerDevice(platform, officer);
});
afterAll(() => platform.stop());

function upload(bytes: Buffer, name: string, token = admin, requestId?: string) {
  const query = new URLSearchParams({ name, ...(requestId ? { requestId } : {}) });
  return platform.call('POST', `${base}?${query}`, {
    token,
    rawBody: bytes as unknown as string,
    headers: { 'content-type': 'application/octet-stream' },
  });
}

async function download(token: string, url: string) {
  const response = await fetch(`${platform.url}${url}`, { headers: { authorization: `Bearer ${token}` } });
  return {
    status: response.status,
    headers: response.headers,
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

describe('upload', () => {
  it('takes the type from the content, not the name, and cleans the name', async () => {
    const png = await upload(PNG, 'invoice.exe');
    expect(png.status, png.text).toBe(201);
    expect(png.json).toEqual(
      expect.objectContaining({ mediaType: 'image/png', name: 'invoice.exe', size: PNG.length }),
    );
    expect(png.json.sha256).toBe(createHash('sha256').update(PNG).digest('hex'));
    const traversal = await upload(Buffer.from('plain notes'), '../../etc/passwd');
    expect(traversal.json).toEqual(expect.objectContaining({ name: 'passwd', mediaType: 'text/plain' }));
    const sneaky = await upload(Buffer.from('{"a":1}'), '..\\..\\.bashrc\u0000.pdf');
    expect(sneaky.json.name).toBe('bashrc.pdf');
    expect(sneaky.json.mediaType).toBe('application/json');
  });

  it('refuses active content, unknown binaries, empty and oversized files', async () => {
    const html = await upload(Buffer.from('<!doctype html><script>alert(1)</script>'), 'page.txt');
    expect(html.status).toBe(415);
    const svg = await upload(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'logo.png');
    expect(svg.status).toBe(415);
    const elf = await upload(
      Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0xff, 0xfe]),
      'tool.pdf',
    );
    expect(elf.status).toBe(415);
    expect((await upload(Buffer.alloc(0), 'empty.txt')).status).toBe(400);
    const big = await upload(Buffer.alloc(10 * 1024 * 1024 + 1, 0x61), 'big.txt');
    expect(big.status).toBe(413);
    expect(big.json.error.code).toBe('payload-too-large');
  });

  it('stores identical bytes once per tenant, at one address, never rewritten', async () => {
    const first = await upload(Buffer.from('same bytes'), 'a.txt');
    const second = await upload(Buffer.from('same bytes'), 'b.txt');
    expect(first.json.id).not.toBe(second.json.id);
    expect(first.json.sha256).toBe(second.json.sha256);
    const addresses = await rawSql<{ a: string }>(
      platform,
      sql`SELECT DISTINCT blob_address AS a FROM evidence WHERE id IN (${first.json.id}, ${second.json.id})`,
    );
    expect(addresses).toHaveLength(1);
    const address = addresses[0]?.a as string;
    const tenant = await tenantOf(platform, 'acme', 'live');
    if (platform.database) {
      // On PostgreSQL the bytes are rows: one blob at that address, in the first chunk only.
      const chunks = await rawSql<{ chunk: number }>(
        platform,
        sql`SELECT chunk FROM evidence_blobs WHERE organization_id = ${tenant.organizationId}
          AND environment = 'live' AND address = ${address}`,
      );
      expect(chunks.map((c) => Number(c.chunk))).toEqual([0]);
      await expect(rawSql(platform, sql`UPDATE evidence_blobs SET bytes = bytes`)).rejects.toThrow(
        /written once/,
      );
    } else {
      const dir = join(
        platform.dataDir,
        'evidence-sealed',
        tenant.organizationId,
        'live',
        address.slice(0, 2),
      );
      expect(readdirSync(dir).filter((f) => f.startsWith(address))).toEqual([address]);
    }
    await expect(rawSql(platform, sql`UPDATE evidence SET name = 'x'`)).rejects.toThrow(/immutable/);
  });
});

describe('download through short-lived signed URLs', () => {
  it('works for the caller it was issued to, within five minutes', async () => {
    const file = await upload(PNG, 'screenshot.png');
    const link = await platform.call('POST', `${base}/${file.json.id}/url`, { token: officer });
    expect(link.status).toBe(200);
    expect(Date.parse(link.json.expiresAt) - platform.clock.now()).toBeLessThanOrEqual(5 * 60 * 1000);
    const got = await download(officer, link.json.url);
    expect(got.status).toBe(200);
    expect(got.bytes.equals(PNG)).toBe(true);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.headers.get('content-disposition')).toContain('attachment');
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('refuses an expired, altered or replayed-elsewhere URL', async () => {
    const file = await upload(PNG, 'proof.png');
    const other = await upload(Buffer.from('other file'), 'other.txt');
    const { url } = (await platform.call('POST', `${base}/${file.json.id}/url`, { token: officer })).json;
    const [path, query] = url.split('?');
    const params = new URLSearchParams(query);
    const tampered = new URLSearchParams(params);
    tampered.set('expires', String(Number(params.get('expires')) + 1000));
    expect((await download(officer, `${path}?${tampered}`)).status).toBe(403);
    expect((await download(officer, url.replace(file.json.id, other.json.id))).status).toBe(403);
    expect((await download(admin, url)).status).toBe(403);
    const globexOwner = (await platform.signIn(platform.user('globex', 'owner'))).accessToken;
    expect((await download(globexOwner, url.replace('/orgs/acme/', '/orgs/globex/'))).status).toBe(403);
    platform.clock.advance(5 * 60 * 1000 + 1);
    const fresh = (await platform.signIn(platform.user('acme', 'compliance_officer'))).accessToken;
    expect((await download(fresh, url)).status).toBe(403);
    officer = fresh;
  });
});

describe('evidence on approval requests', () => {
  it('is listed with the request and signed for by approvers', async () => {
    const created = await platform.call('POST', approvals, {
      token: admin,
      body: {
        kind: 'custom.vendor_payment',
        title: 'With evidence',
        payload: { vendor: 'Initech', amount: '950.00' },
      },
    });
    const file = await upload(PNG, 'ticket.png', admin, created.json.id);
    expect(file.status).toBe(201);
    const request = (await platform.call('GET', `${approvals}/${created.json.id}`, { token: officer })).json;
    expect(request.evidence).toEqual([
      expect.objectContaining({ id: file.json.id, sha256: file.json.sha256 }),
    ]);
    const blind = await decide(platform, officer, officerDevice, approvals, request, 'approve', {
      evidenceHashes: [],
    });
    expect(blind.status).toBe(403);
    const seen = await decide(platform, officer, officerDevice, approvals, request, 'approve');
    expect(seen.status, seen.text).toBe(200);
    expect((await upload(PNG, 'late.png', admin, created.json.id)).status).toBe(409);
  });

  it('is deleted only through an approved request', async () => {
    const file = await upload(Buffer.from('to be deleted'), 'old.txt');
    const owner = (await platform.signIn(platform.user('acme', 'owner'))).accessToken;
    const request = await platform.call('POST', approvals, {
      token: admin,
      body: { kind: 'evidence.delete', title: 'Delete old evidence', payload: { evidenceId: file.json.id } },
    });
    expect(request.json).toEqual(expect.objectContaining({ lane: 'red', status: 'pending' }));
    const listed = await platform.call('GET', base, { token: owner });
    expect(listed.json.evidence.map((e: { id: string }) => e.id)).toContain(file.json.id);
    await expect(rawSql(platform, sql`DELETE FROM evidence`)).rejects.toThrow(/never deleted/);

    const ownerDevice = await registerDevice(platform, owner);
    const officerUser = platform.user('acme', 'compliance_officer');
    const ownerUser = platform.user('acme', 'owner');
    const first = await decide(platform, officer, officerDevice, approvals, request.json, 'approve', {
      totpOf: officerUser,
    });
    expect(first.json.status).toBe('pending');
    const second = await decide(platform, owner, ownerDevice, approvals, request.json, 'approve', {
      totpOf: ownerUser,
    });
    expect(second.json).toEqual(expect.objectContaining({ status: 'executed' }));
    const after = await platform.call('GET', base, { token: owner });
    expect(after.json.evidence.map((e: { id: string }) => e.id)).not.toContain(file.json.id);
    const [row] = await rawSql<{ blob_address: string }>(
      platform,
      sql`SELECT organization_id, environment, blob_address FROM evidence WHERE id = ${file.json.id}`,
    );
    expect(row?.blob_address).toMatch(/^[0-9a-f]{64}$/);
    expect(
      await platform.ctx.blobs.read(await tenantOf(platform, 'acme', 'test'), row?.blob_address as string),
    ).toBeUndefined();
  });
});
