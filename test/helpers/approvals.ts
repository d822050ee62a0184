import { createHash, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { totpCode } from '../../platform/auth/totp';
import type { DemoUser } from '../../platform/seed/demo';
import { decisionStatementBytes } from '../../shared/approvals/decision-statement';
import type { TestPlatform } from './platform';

export interface Device {
  readonly id: string;
  readonly privateKey: KeyObject;
}

/** A device key pair held by the test, its public half registered with the platform. */
export async function registerDevice(platform: TestPlatform, token: string): Promise<Device> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const reply = await platform.call('POST', '/v1/me/device-keys', {
    token,
    body: { name: 'test laptop', publicKey: Buffer.from(raw).toString('base64') },
  });
  if (reply.status !== 201) throw new Error(`device registration failed: ${reply.text}`);
  return { id: reply.json.id, privateKey };
}

export interface DecideOptions {
  readonly comment?: string;
  readonly totpOf?: DemoUser;
  readonly idempotencyKey?: string;
  /** Sign a different payload hash than the request's, to prove the platform notices. */
  readonly signPayloadHash?: string;
  /** Sign another evidence set than the request's. */
  readonly evidenceHashes?: string[];
}

export async function decide(
  platform: TestPlatform,
  token: string,
  device: Device,
  path: string,
  request: { id: string; payloadHash: string; evidence?: { sha256: string }[] },
  decision: 'approve' | 'reject',
  options: DecideOptions = {},
) {
  const comment = options.comment ?? '';
  const decidedAt = new Date(platform.clock.now()).toISOString();
  const statement = {
    requestId: request.id,
    decision,
    payloadHash: options.signPayloadHash ?? request.payloadHash,
    evidenceHashes: options.evidenceHashes ?? (request.evidence ?? []).map((e) => e.sha256),
    commentHash: createHash('sha256').update(comment).digest('hex'),
    decidedAt,
  };
  const signature = sign(null, decisionStatementBytes(statement), device.privateKey).toString('base64');
  return platform.call('POST', `${path}/${request.id}/decisions`, {
    token,
    body: {
      decision,
      comment,
      deviceKeyId: device.id,
      decidedAt,
      signature,
      idempotencyKey: options.idempotencyKey ?? `idem-${Math.random().toString(36).slice(2)}`,
      ...(options.totpOf ? { totp: freshTotp(platform, options.totpOf) } : {}),
    },
  });
}

export function freshTotp(platform: TestPlatform, user: DemoUser): string {
  platform.clock.advance(30_000);
  return totpCode(user.totpSeed, platform.clock.now());
}

/**
 * A policy change the way an organization makes one: the owner raises a policy.update, the admin and the
 * compliance officer approve it with their devices and fresh codes, and the owner collects what it
 * produced (a new webhook's secret). Returns the executed request and that secret.
 */
export async function approvePolicyChange(
  platform: TestPlatform,
  organization: string,
  environment: 'test' | 'live',
  payload: Record<string, unknown>,
): Promise<{ request: { id: string; status: string }; secret: string | null }> {
  const path = `/v1/orgs/${organization}/envs/${environment}/approvals`;
  const owner = (await platform.signIn(platform.user(organization, 'owner'))).accessToken;
  const raised = await platform.call('POST', path, {
    token: owner,
    body: { kind: 'policy.update', title: 'Policy change', summary: 'test setup', payload },
  });
  if (raised.status !== 201) throw new Error(`policy.update refused: ${raised.text}`);
  let reply = raised;
  for (const role of ['admin', 'compliance_officer'] as const) {
    const approver = platform.user(organization, role);
    const token = (await platform.signIn(approver)).accessToken;
    const device = await registerDevice(platform, token);
    reply = await decide(platform, token, device, path, raised.json, 'approve', { totpOf: approver });
    if (reply.status !== 200) throw new Error(`approval refused: ${reply.text}`);
  }
  const fresh = (await platform.signIn(platform.user(organization, 'owner'))).accessToken;
  const result = await platform.call('POST', `${path}/${raised.json.id}/result`, { token: fresh });
  return { request: reply.json, secret: result.json.secret };
}
