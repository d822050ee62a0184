import { Secret } from 'otpauth';
import { totpCode } from '../../platform/auth/totp';
import type { DemoUser } from '../../platform/seed/demo';
import type { RoleName } from '../../shared/domain/permissions';
import { type Device, decide, registerDevice } from './approvals';
import type { CallResult, TestPlatform } from './platform';

/** A demo person signed in now, with a device key to sign decisions. */
export interface SignedIn {
  readonly user: DemoUser;
  readonly token: string;
  readonly refreshToken: string;
  readonly device: Device;
}

const devices = new WeakMap<TestPlatform, Map<string, Device>>();

/** Signs the demo person in afresh; their device key is registered once per platform and kept. */
export async function signedIn(platform: TestPlatform, org: string, role: RoleName): Promise<SignedIn> {
  const user = platform.user(org, role);
  const pair = await platform.signIn(user);
  let known = devices.get(platform);
  if (!known) {
    known = new Map();
    devices.set(platform, known);
  }
  let device = known.get(user.userId);
  if (!device) {
    device = await registerDevice(platform, pair.accessToken);
    known.set(user.userId, device);
  }
  return { user, token: pair.accessToken, refreshToken: pair.refreshToken, device };
}

/** Raises a built-in request in `org`/`env` as `token`; the raw reply. */
export function raise(
  platform: TestPlatform,
  org: string,
  env: 'test' | 'live',
  token: string,
  kind: string,
  payload: unknown,
  title = `Test: ${kind}`,
): Promise<CallResult> {
  return platform.call('POST', `/v1/orgs/${org}/envs/${env}/approvals`, {
    token,
    body: { kind, title, summary: 'Raised by a lifecycle test.', payload },
  });
}

/**
 * Approves `request` by each of `roles` in turn (signed in afresh, a device each, a fresh code for red
 * requests), and returns the last reply. Throws when a decision is refused.
 */
export async function approveBy(
  platform: TestPlatform,
  org: string,
  env: 'test' | 'live',
  request: { id: string; payloadHash: string },
  roles: readonly RoleName[],
): Promise<CallResult> {
  let reply: CallResult | undefined;
  for (const role of roles) {
    const approver = await signedIn(platform, org, role);
    reply = await decide(
      platform,
      approver.token,
      approver.device,
      `/v1/orgs/${org}/envs/${env}/approvals`,
      request,
      'approve',
      { totpOf: approver.user },
    );
    if (reply.status !== 200) throw new Error(`approval by ${role} refused: ${reply.text}`);
  }
  if (!reply) throw new Error('no approvers named');
  return reply;
}

/** Raises a request as `requester` and has it approved by `approvers`; returns the executed request. */
export async function raiseApproved(
  platform: TestPlatform,
  org: string,
  env: 'test' | 'live',
  requester: { token: string },
  kind: string,
  payload: unknown,
  approvers: readonly RoleName[],
): Promise<{ id: string; status: string; outcome: string | null; lane: string }> {
  const raised = await raise(platform, org, env, requester.token, kind, payload);
  if (raised.status !== 201) throw new Error(`${kind} refused: ${raised.text}`);
  if (approvers.length === 0) return raised.json;
  const reply = await approveBy(platform, org, env, raised.json, approvers);
  return reply.json;
}

/** The enrollment page's form fields and the TOTP seed it shows (read off the page as a person would). */
export interface EnrollmentPage {
  readonly status: number;
  readonly html: string;
  readonly token: string | undefined;
  /** The one-time nonce that binds the form to this visit's seed (new accounts only). */
  readonly nonce: string | undefined;
  readonly seed: Uint8Array | undefined;
}

export async function openEnrollmentPage(platform: TestPlatform, link: string): Promise<EnrollmentPage> {
  const url = new URL(link);
  const reply = await platform.call('GET', `${url.pathname}${url.search}`);
  const token = /name="token" value="([^"]+)"/.exec(reply.text)?.[1];
  const nonce = /name="nonce" value="([^"]+)"/.exec(reply.text)?.[1];
  const secret = /<p class="secret"[^>]*>([^<]+)<\/p>/.exec(reply.text)?.[1];
  return {
    status: reply.status,
    html: reply.text,
    token,
    nonce,
    seed: secret ? Secret.fromBase32(secret.replaceAll(' ', '')).bytes : undefined,
  };
}

/** Posts the enrollment form as the page would (form-encoded, from the platform's own origin). */
export function submitEnrollment(
  platform: TestPlatform,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<CallResult> {
  return platform.call('POST', '/enroll', {
    rawBody: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: platform.url, ...headers },
  });
}

/** A code from an enrolled seed at the platform's clock, a step past any used already. */
export function codeFor(platform: TestPlatform, seed: Uint8Array): string {
  platform.clock.advance(30_000);
  return totpCode(seed, platform.clock.now());
}

/** The tenant's audit entries of one action, newest first, read through the API as its owner. */
export async function auditEntries(
  platform: TestPlatform,
  org: string,
  env: 'test' | 'live',
  action: string,
  // biome-ignore lint/suspicious/noExplicitAny: test assertions read the entries' JSON
): Promise<any[]> {
  const owner = await platform.signIn(platform.user(org, 'owner'));
  const reply = await platform.call(
    'GET',
    `/v1/orgs/${org}/envs/${env}/audit/entries?limit=500&action=${encodeURIComponent(action)}`,
    { token: owner.accessToken },
  );
  if (reply.status !== 200) throw new Error(`audit read refused: ${reply.text}`);
  return reply.json.entries;
}
