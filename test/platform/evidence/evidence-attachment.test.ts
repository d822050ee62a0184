import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Device, decide, registerDevice } from '../../helpers/approvals';
import { rawSql, startPlatform, type TestPlatform } from '../../helpers/platform';

let platform: TestPlatform;
let admin: string;
let officer: string;
let officerDevice: Device;
const base = '/v1/orgs/acme/envs/test/evidence';
const approvals = '/v1/orgs/acme/envs/test/approvals';
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('png'),
]);

beforeAll(async () => {
  platform = await startPlatform();
  await platform.setLanes('acme', {
    'custom.green_thing': { test: 'green', live: 'green' },
    'custom.red_thing': { test: 'red', live: 'red' },
  });
  admin = (await platform.signIn(platform.user('acme', 'admin'))).accessToken;
  officer = (await platform.signIn(platform.user('acme', 'compliance_officer'))).accessToken;
  officerDevice = await registerDevice(platform, officer);
});
afterAll(() => platform.stop());

async function upload(bytes: Buffer | string, name: string, token = admin, path = base, requestId?: string) {
  const query = new URLSearchParams({ name, ...(requestId ? { requestId } : {}) });
  return platform.call('POST', `${path}?${query}`, {
    token,
    rawBody: bytes as unknown as string,
    headers: { 'content-type': 'application/octet-stream' },
  });
}

function raise(body: Record<string, unknown>, token = admin) {
  return platform.call('POST', approvals, {
    token,
    body: {
      kind: 'custom.vendor_payment',
      title: 'With evidence',
      summary: 'why',
      payload: { n: 1 },
      ...body,
    },
  });
}

const ids = (list: { id: string }[]) => list.map((e) => e.id);

describe('evidence uploaded before its request exists', () => {
  it('attaches when the request is raised, leaves the library, and binds every decision', async () => {
    const screenshot = await upload(PNG, 'screenshot.png');
    const notes = await upload('ticket CHG-1042 approved by finance', 'notes.txt');
    expect(screenshot.json.requestId).toBeNull();
    const raised = await raise({ evidenceIds: [screenshot.json.id, notes.json.id] });
    expect(raised.status, raised.text).toBe(201);
    expect(raised.json.evidence).toEqual([
      expect.objectContaining({
        id: screenshot.json.id,
        requestId: raised.json.id,
        sha256: screenshot.json.sha256,
      }),
      expect.objectContaining({ id: notes.json.id, requestId: raised.json.id, sha256: notes.json.sha256 }),
    ]);
    const listed = await platform.call('GET', `${base}?requestId=${raised.json.id}`, { token: officer });
    expect(ids(listed.json.evidence)).toEqual([screenshot.json.id, notes.json.id]);
    const library = await platform.call('GET', base, { token: officer });
    expect(ids(library.json.evidence)).not.toContain(screenshot.json.id);
    await expect(rawSql(platform, sql`DELETE FROM approval_evidence`)).rejects.toThrow(/final/);

    // The request's own audit entry names the files, so an export proves what was attached at once.
    const timeline = await platform.call('GET', `${approvals}/${raised.json.id}/timeline`, {
      token: officer,
    });
    expect(timeline.json.events[0]).toMatchObject({
      action: 'approval.request',
      change: {
        after: {
          evidence: [
            { id: screenshot.json.id, sha256: screenshot.json.sha256 },
            { id: notes.json.id, sha256: notes.json.sha256 },
          ],
        },
      },
    });

    const blind = await decide(platform, officer, officerDevice, approvals, raised.json, 'approve', {
      evidenceHashes: [],
    });
    expect(blind.status).toBe(403);
    const seen = await decide(platform, officer, officerDevice, approvals, raised.json, 'approve');
    expect(seen.status, seen.text).toBe(200);
  });

  it('is attached before a green request executes', async () => {
    const file = await upload('green evidence', 'green.txt');
    const raised = await raise({ kind: 'custom.green_thing', evidenceIds: [file.json.id] });
    expect(raised.json).toMatchObject({
      status: 'executed',
      evidence: [expect.objectContaining({ id: file.json.id })],
    });
  });

  it('attaches only the requester’s own files, each once, from this tenant', async () => {
    const officers = await upload('officer file', 'officer.txt', officer);
    const notMine = await raise({ evidenceIds: [officers.json.id] });
    expect(notMine.status, notMine.text).toBe(403);

    const mine = await upload('mine', 'mine.txt');
    expect((await raise({ evidenceIds: [mine.json.id] })).status).toBe(201);
    const twice = await raise({ evidenceIds: [mine.json.id] });
    expect(twice.status, twice.text).toBe(409);

    const target = await raise({});
    const direct = await upload('direct', 'direct.txt', admin, base, target.json.id);
    expect((await raise({ evidenceIds: [direct.json.id] })).status).toBe(409);

    const live = await upload('live file', 'live.txt', admin, '/v1/orgs/acme/envs/live/evidence');
    expect((await raise({ evidenceIds: [live.json.id] })).status).toBe(404);

    const spare = await upload('spare', 'spare.txt');
    const duplicate = await raise({ evidenceIds: [spare.json.id, spare.json.id] });
    expect(duplicate.status).toBe(400);
    // A refused request attaches nothing: the good file in it is still free.
    const mixed = await raise({ evidenceIds: [spare.json.id, officers.json.id] });
    expect(mixed.status).toBe(403);
    const library = await platform.call('GET', base, { token: admin });
    expect(ids(library.json.evidence)).toContain(spare.json.id);
    expect((await raise({ evidenceIds: [spare.json.id] })).status).toBe(201);
  });

  it('cannot be added to a request once anyone has decided on it', async () => {
    const raised = await raise({ kind: 'custom.red_thing' });
    expect(raised.json).toMatchObject({ lane: 'red', requiredApprovals: 2 });
    expect((await upload('before', 'before.txt', admin, base, raised.json.id)).status).toBe(201);
    const request = (await platform.call('GET', `${approvals}/${raised.json.id}`, { token: officer })).json;
    const first = await decide(platform, officer, officerDevice, approvals, request, 'approve', {
      totpOf: platform.user('acme', 'compliance_officer'),
    });
    expect(first.json).toMatchObject({ status: 'pending', approvals: 1 });
    const late = await upload('after', 'after.txt', admin, base, raised.json.id);
    expect(late.status, late.text).toBe(409);
    expect(late.json.error.message).toMatch(/decided/);
  });
});
