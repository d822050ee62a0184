import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallResult, TestPlatform } from '../../helpers/platform';
import { startPlatform } from '../../helpers/platform';
import {
  apiKeyCaller,
  type Caller,
  callEndpoint,
  endpoints,
  everyKeyScope,
  freshTarget,
  idsNamedBy,
  type Person,
  personCaller,
  personOf,
  type Target,
  targetIds,
  unknownIdLike,
} from '../endpoints';

let platform: TestPlatform;
let acmeOwner: Caller;
let acmeTestKey: Caller;
let globexOwner: Person;
let globexFingerprints: string[];

beforeAll(async () => {
  platform = await startPlatform();
  acmeOwner = await personCaller(platform, 'acme', 'owner');
  acmeTestKey = await apiKeyCaller(platform, 'acme', 'test', everyKeyScope);
  globexOwner = await personOf(platform, 'globex', 'owner');
  const globex = await platform.ctx.stores.organizations.findBySlug('globex');
  globexFingerprints = [
    'globex',
    'Globex',
    globex?.id ?? 'missing',
    ...platform.users.filter((u) => u.organization === 'globex').flatMap((u) => [u.userId, u.email]),
  ];
});
afterAll(() => platform.stop());

/** The ids of a target (those a caller could swap in), to look for in replies. */
const idsOf = (t: Target) => targetIds.map((id) => t[id]);

function expectNoGlobexBytes(text: string, extra: readonly string[] = []): void {
  for (const fingerprint of [...globexFingerprints, ...extra]) expect(text).not.toContain(fingerprint);
}

/** What a reply says, without what differs from one call to the next (the request id). */
function gist(reply: CallResult) {
  const { requestId: _id, ...error } = reply.json?.error ?? {};
  return { status: reply.status, body: reply.json?.error ? { error } : reply.json };
}

/** Everything a call with these ids could have changed, read by `reader` (a member of the tenant). */
async function stateOf(t: Target, reader: Person) {
  const base = `/v1/orgs/${t.org}/envs/${t.env}`;
  const read = async (path: string) => gist(await platform.call('GET', path, { token: reader.token }));
  return {
    request: await read(`${base}/approvals/${t.requestId}`),
    timeline: await read(`${base}/approvals/${t.requestId}/timeline`),
    ownRequest: await read(`${base}/approvals/${t.ownRequestId}`),
    key: await read(`${base}/api-keys/${t.keyId}`),
    members: await read(`/v1/orgs/${t.org}/members`),
    evidence: await read(`${base}/evidence`),
    devices: await read('/v1/me/device-keys'),
    invitations: await read(`/v1/orgs/${t.org}/invitations?status=all`),
    elevations: await read(`/v1/orgs/${t.org}/elevations?status=all`),
    review: await read(`/v1/orgs/${t.org}/reviews/${t.campaignId}`),
    items: await read(`/v1/orgs/${t.org}/review-items?reviewer=all&campaignId=${t.campaignId}&limit=200`),
  };
}

const scoped = endpoints.filter((e) => e.scoped);
const withIds = endpoints.filter((e) => idsNamedBy(e).length > 0);

describe('organization isolation', () => {
  it('the sweep swaps every kind of id the endpoints name', () => {
    expect([...new Set(withIds.flatMap(idsNamedBy))].sort()).toEqual([...targetIds].sort());
  });

  for (const endpoint of scoped) {
    for (const env of ['test', 'live'] as const) {
      it(`${endpoint.name} (${env}): an acme owner naming globex gets 404 and no globex data`, async () => {
        const target = await freshTarget(platform, 'globex', env, acmeOwner);
        const reply = await callEndpoint(platform, endpoint, target, acmeOwner.token);
        expect(reply.status, reply.text).toBe(404);
        expectNoGlobexBytes(reply.text, idsOf(target));
      });
    }
  }

  for (const endpoint of withIds) {
    it(`${endpoint.name}: globex ${idsNamedBy(endpoint).join(', ')} in an acme owner's call answer as ids that do not exist, and change nothing`, async () => {
      const acme = await freshTarget(platform, 'acme', 'test', acmeOwner);
      const unknown = await callEndpoint(
        platform,
        endpoint,
        { ...acme, ...Object.fromEntries(targetIds.map((id) => [id, unknownIdLike(acme[id])])) },
        acmeOwner.token,
      );
      const globex = await freshTarget(platform, 'globex', 'test', acmeOwner);
      const before = await stateOf(globex, globexOwner);
      const swapped: Target = { ...globex, org: 'acme' };
      const reply = await callEndpoint(platform, endpoint, swapped, acmeOwner.token);
      expect(gist(reply)).toEqual(gist(unknown));
      expectNoGlobexBytes(reply.text, idsOf(globex));
      expect(await stateOf(globex, globexOwner)).toEqual(before);
    });
  }

  for (const endpoint of scoped) {
    it(`${endpoint.name}: an acme API key naming globex gets 404`, async () => {
      const target = await freshTarget(platform, 'globex', 'test', acmeTestKey);
      const reply = await callEndpoint(platform, endpoint, target, acmeTestKey.token);
      expect(reply.status, reply.text).toBe(404);
      expectNoGlobexBytes(reply.text, idsOf(target));
    });
  }
});

describe('ids that name nothing', () => {
  const download = 'download evidence through a URL issued to the caller';
  for (const endpoint of withIds) {
    // A download URL is bound to its evidence id: another id is an altered URL, refused before any lookup.
    const [status, code] = endpoint.name === download ? [403, 'forbidden'] : [404, 'not-found'];
    const name = `${endpoint.name}: an unknown ${idsNamedBy(endpoint).join(', ')} is answered with ${status} ${code}`;
    const test = async () => {
      const acme = await freshTarget(platform, 'acme', 'test', acmeOwner);
      const unknown = {
        ...acme,
        ...Object.fromEntries(targetIds.map((id) => [id, unknownIdLike(acme[id])])),
      };
      const reply = await callEndpoint(platform, endpoint, unknown, acmeOwner.token);
      expect([reply.status, reply.json?.error?.code], reply.text).toEqual([status, code]);
    };
    it(name, test);
  }
});

describe('environment isolation', () => {
  const envScoped = scoped.filter((e) => e.route.includes('/envs/:env/'));

  it('covers the environment-scoped endpoints that name ids', () => {
    expect(envScoped.filter((e) => withIds.includes(e)).length).toBeGreaterThan(0);
  });

  for (const endpoint of envScoped) {
    it(`${endpoint.name}: a test key against live is refused with 403`, async () => {
      const target = await freshTarget(platform, 'acme', 'live', acmeTestKey);
      const reply = await callEndpoint(platform, endpoint, target, acmeTestKey.token);
      expect(reply.status, reply.text).toBe(403);
      expect(reply.json.error.code).toBe('wrong-environment');
      for (const id of idsOf(target)) expect(reply.text).not.toContain(id);
    });
  }

  for (const endpoint of envScoped.filter((e) => withIds.includes(e))) {
    it(`${endpoint.name}: test ${idsNamedBy(endpoint).join(', ')} in a live path answer as ids that do not exist, and change nothing`, async () => {
      const live = await freshTarget(platform, 'acme', 'live', acmeOwner);
      const unknown = await callEndpoint(
        platform,
        endpoint,
        { ...live, ...Object.fromEntries(targetIds.map((id) => [id, unknownIdLike(live[id])])) },
        acmeOwner.token,
      );
      const testTarget = await freshTarget(platform, 'acme', 'test', acmeOwner);
      const before = await stateOf(testTarget, acmeOwner.person);
      const reply = await callEndpoint(platform, endpoint, { ...testTarget, env: 'live' }, acmeOwner.token);
      expect(gist(reply)).toEqual(gist(unknown));
      expect(await stateOf(testTarget, acmeOwner.person)).toEqual(before);
    });
  }

  it('listing live keys never shows a test key', async () => {
    const testTarget = await freshTarget(platform, 'acme', 'test', acmeOwner);
    const live = await platform.call('GET', '/v1/orgs/acme/envs/live/api-keys', { token: acmeOwner.token });
    expect(live.status).toBe(200);
    expect(live.json.keys.length).toBeGreaterThan(0);
    expect(live.json.keys.every((k: { environment: string }) => k.environment === 'live')).toBe(true);
    expect(live.text).not.toContain(testTarget.keyId);
  });
});
