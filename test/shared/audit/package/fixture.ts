import { createPublicKey } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeAuditCrypto } from '../../../../shared/audit/node-crypto';
import type { VerifierKey } from '../../../../shared/audit/note';
import { type PackageVerifyOptions, verifyPackage } from '../../../../shared/audit/package/verify-package';
import { type Device, decide, registerDevice } from '../../../helpers/approvals';
import { platformKeys, tenantOf } from '../../../helpers/audit';
import { appendBreakGlass, appendCraftedDecision, buildTestPackage } from '../../../helpers/package';
import type { TestPlatform } from '../../../helpers/platform';

export const approvals = '/v1/orgs/acme/envs/test/approvals';

export interface Scenario {
  readonly dir: string;
  readonly keys: VerifierKey[];
  /** Two requests approved by two people with registered devices, each with its evidence. */
  readonly clean: string;
  /** A decision by a device key revoked before it, and one by a member whose role may not decide. */
  readonly crafted: string;
  readonly requests: { r1: string; r2: string; revoked: string; unauthorized: string };
  readonly evidence: { e1: string; e2: string };
  readonly devices: { officer: string };
}

export function publicKeyOf(device: Device): string {
  const der = createPublicKey(device.privateKey).export({ format: 'der', type: 'spki' });
  return Buffer.from(der.subarray(-32)).toString('base64');
}

async function upload(platform: TestPlatform, token: string, name: string, text: string) {
  const reply = await platform.call('POST', `/v1/orgs/acme/envs/test/evidence?name=${name}`, {
    token,
    rawBody: text,
    headers: { 'content-type': 'application/octet-stream' },
  });
  if (reply.status !== 201) throw new Error(`upload failed: ${reply.text}`);
  return reply.json as { id: string; sha256: string };
}

async function raise(platform: TestPlatform, token: string, title: string, evidenceIds: string[]) {
  const reply = await platform.call('POST', approvals, {
    token,
    body: {
      kind: 'custom.vendor_payment',
      title,
      summary: 'quarterly',
      payload: { amount: 120 },
      evidenceIds,
    },
  });
  if (reply.status !== 201) throw new Error(`raise failed: ${reply.text}`);
  return reply.json as { id: string; payloadHash: string; evidence: { sha256: string }[] };
}

const iso = (platform: TestPlatform) => new Date(platform.clock.now()).toISOString();

/**
 * Real work on a real platform over HTTP: devices registered, evidence uploaded, requests raised and decided
 * in a period, then packaged by the auditor. The second period's two bad decisions are appended through the
 * platform's own log (see appendCraftedDecision): its API refuses them.
 */
export async function buildScenario(platform: TestPlatform): Promise<Scenario> {
  const dir = mkdtempSync(join(tmpdir(), 'cc-package-'));
  const token = async (role: 'compliance_officer' | 'admin' | 'member' | 'auditor') =>
    (await platform.signIn(platform.user('acme', role))).accessToken;
  const officer = await token('compliance_officer');
  const admin = await token('admin');
  const member = await token('member');
  const officerDevice = await registerDevice(platform, officer);
  const adminDevice = await registerDevice(platform, admin);
  platform.clock.advance(1000);
  const from = iso(platform);
  platform.clock.advance(1000);
  const e1 = await upload(platform, member, 'invoice.txt', 'Invoice 2026-114: 120 EUR for consulting\n');
  const e2 = await upload(platform, member, 'ticket.json', '{"ticket":"CHG-2291","approved":true}\n');
  const r1 = await raise(platform, member, 'Pay invoice 114', [e1.id]);
  const r2 = await raise(platform, member, 'Pay ticket 2291', [e2.id]);
  for (const [t, device, request] of [
    [officer, officerDevice, r1],
    [admin, adminDevice, r2],
  ] as const) {
    const reply = await decide(platform, t, device, approvals, request, 'approve');
    if (reply.status !== 200) throw new Error(`decision refused: ${reply.text}`);
  }
  platform.clock.advance(1000);
  const to = iso(platform);
  platform.clock.advance(1000);

  // The second period: a key registered, revoked through the API, then used anyway; and a member deciding.
  const revokedDevice = await registerDevice(platform, officer);
  const revoked = await platform.call('POST', `/v1/me/device-keys/${revokedDevice.id}/revoke`, {
    token: officer,
  });
  if (revoked.status !== 200) throw new Error(`revoke failed: ${revoked.text}`);
  const memberDevice = await registerDevice(platform, member);
  platform.clock.advance(1000);
  const fromB = iso(platform);
  platform.clock.advance(1000);
  const e3 = await upload(platform, member, 'contract.txt', 'Contract 77, signed\n');
  const r3 = await raise(platform, member, 'Pay contract 77', [e3.id]);
  const r4 = await raise(platform, await token('admin'), 'Pay contract 78', []);
  const tenant = await tenantOf(platform, 'acme', 'test');
  const officerId = platform.user('acme', 'compliance_officer').userId;
  const memberId = platform.user('acme', 'member').userId;
  await appendCraftedDecision(platform, tenant, {
    approverId: officerId,
    device: revokedDevice,
    publicKey: publicKeyOf(revokedDevice),
    request: r3,
  });
  await appendCraftedDecision(platform, tenant, {
    approverId: memberId,
    device: memberDevice,
    publicKey: publicKeyOf(memberDevice),
    request: r4,
  });
  const r5 = await raise(platform, await token('admin'), 'Pay contract 79', []);
  await appendBreakGlass(
    platform,
    tenant,
    r5,
    'The organization has one decider; the CFO confirmed by phone.',
  );
  platform.clock.advance(1000);
  const toB = iso(platform);
  platform.clock.advance(1000);

  const auditor = await token('auditor');
  const clean = join(dir, 'clean.zip');
  const crafted = join(dir, 'crafted.zip');
  const acme = { organization: 'acme', environment: 'test' } as const;
  await buildTestPackage(platform, auditor, acme, { from, to }, clean);
  await buildTestPackage(platform, auditor, acme, { from: fromB, to: toB }, crafted);
  return {
    dir,
    keys: platformKeys(platform),
    clean,
    crafted,
    requests: { r1: r1.id, r2: r2.id, revoked: r3.id, unauthorized: r4.id },
    evidence: { e1: e1.sha256, e2: e2.sha256 },
    devices: { officer: officerDevice.id },
  };
}

export function verify(scenario: Scenario, file: string, options: Partial<PackageVerifyOptions> = {}) {
  return verifyPackage(file, { crypto: nodeAuditCrypto, keys: scenario.keys, hashWorkers: 1, ...options });
}
