import { execFile } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR_STATEMENT_PREFIX } from '../../../platform/audit/signing-keys';
import { addMember, createOrganization, createUser } from '../../../platform/organizations/provisioning';
import type { DemoUser } from '../../../platform/seed/demo';
import { decisionStatementBytes } from '../../../shared/approvals/decision-statement';
import { decide, registerDevice } from '../../helpers/approvals';
import { startPlatform, type TestPlatform } from '../../helpers/platform';

const run = promisify(execFile);

/**
 * An organization of two, an owner and an admin, cannot reach the red lane's two approvals from people
 * other than the proposer. The platform's operator may add the last co-signature, from the server's CLI,
 * only once every member who may decide has approved; it is signed with the pinned audit key.
 */
let platform: TestPlatform;
let owner: DemoUser;
let admin: DemoUser;
const path = '/v1/orgs/tiny/envs/live/approvals';

async function person(email: string, role: 'owner' | 'admin'): Promise<DemoUser> {
  const password = 'a long test password';
  const { userId, totpSeed } = await createUser(platform.ctx, { email, displayName: email, password });
  const org = await platform.ctx.stores.organizations.findBySlug('tiny');
  if (!org) throw new Error('tiny missing');
  await addMember(
    platform.ctx,
    { organizationId: org.id, organizationSlug: org.slug } as never,
    userId,
    role,
  );
  return { organization: 'tiny', role, userId, email, password, totpSeed };
}

function breakGlass(
  requestId: string,
  org = 'tiny',
  reason = 'Two-person company; reviewed by support ticket 1234',
) {
  return run('node', [
    '--import',
    'tsx',
    'platform/cli/main.ts',
    'break-glass',
    '--org',
    org,
    '--env',
    'live',
    '--request',
    requestId,
    '--reason',
    reason,
    ...platform.cliOptions,
  ]).then(
    (done) => ({ code: 0, out: done.stdout }),
    (failed: { code: number; stderr: string }) => ({ code: failed.code, out: failed.stderr }),
  );
}

beforeAll(async () => {
  platform = await startPlatform({ defaultPolicy: true });
  await createOrganization(platform.ctx, 'tiny', 'Tiny Ltd');
  owner = await person('owner@tiny.example', 'owner');
  admin = await person('admin@tiny.example', 'admin');
});
afterAll(() => platform.stop());

describe('break-glass for an organization too small for its red lane', () => {
  it('needs every other decider first, then the operator completes the change, signed and on record', async () => {
    const ownerToken = (await platform.signIn(owner)).accessToken;
    const raised = await platform.call('POST', path, {
      token: ownerToken,
      body: { kind: 'policy.update', title: 'Longer expiry', payload: { expiryDays: 14 } },
    });
    expect(raised.status, raised.text).toBe(201);
    expect(raised.json.requiredApprovals).toBe(2);

    const early = await breakGlass(raised.json.id);
    expect(early.code).toBe(1);
    expect(early.out).toMatch(/still waiting for admin@tiny\.example/);

    const adminToken = (await platform.signIn(admin)).accessToken;
    const device = await registerDevice(platform, adminToken);
    const approved = await decide(platform, adminToken, device, path, raised.json, 'approve', {
      totpOf: admin,
    });
    expect(approved.json).toEqual(expect.objectContaining({ approvals: 1, status: 'pending' }));

    const done = await breakGlass(raised.json.id);
    expect(done.code, done.out).toBe(0);
    const after = await platform.call('GET', `${path}/${raised.json.id}`, { token: adminToken });
    expect(after.json.status, after.text).toBe('executed');
    const policy = await platform.call('GET', '/v1/orgs/tiny/policy', { token: adminToken });
    expect(policy.json.expiryDays).toBe(14);

    const entries = await platform.call(
      'GET',
      '/v1/orgs/tiny/envs/live/audit/entries?action=approval.break_glass',
      {
        token: adminToken,
      },
    );
    const entry = entries.json.entries[0];
    expect(entry.change.after.reason).toMatch(/support ticket 1234/);
    const { statement, publicKey, signature, verifierKey } = entry.change.after;
    expect(platform.ctx.auditKeys.verifierKeys).toContain(verifierKey);
    const key = createPublicKey({
      key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(publicKey, 'base64')]),
      format: 'der',
      type: 'spki',
    });
    const message = Buffer.concat([
      Buffer.from(OPERATOR_STATEMENT_PREFIX),
      decisionStatementBytes(statement),
    ]);
    expect(verify(null, message, key, Buffer.from(signature, 'base64'))).toBe(true);
    expect(verify(null, decisionStatementBytes(statement), key, Buffer.from(signature, 'base64'))).toBe(
      false,
    );
  });

  it('is refused where the organization has enough people to decide, and for anything but a policy change', async () => {
    const acmeOwner = (await platform.signIn(platform.user('acme', 'owner'))).accessToken;
    const policy = await platform.call('POST', '/v1/orgs/acme/envs/live/approvals', {
      token: acmeOwner,
      body: { kind: 'policy.update', title: 'Longer expiry', payload: { expiryDays: 14 } },
    });
    const refused = await breakGlass(policy.json.id, 'acme');
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/needs no operator/);

    const ownerToken = (await platform.signIn(owner)).accessToken;
    const other = await platform.call('POST', path, {
      token: ownerToken,
      body: { kind: 'audit.retention', title: 'Shorter retention', payload: { days: 30 } },
    });
    const notPolicy = await breakGlass(other.json.id);
    expect(notPolicy.code).toBe(1);
    expect(notPolicy.out).toMatch(/Only a policy change/);
    const noReason = await breakGlass(other.json.id, 'tiny', 'x');
    expect(noReason.code).toBe(1);
  });
});
