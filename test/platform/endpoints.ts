import type { RoleName } from '../../shared/domain/permissions';
import type { TestPlatform } from '../helpers/platform';

/** Ids an endpoint call needs, prepared fresh for each call (rotation and revocation use a key up). */
export interface Target {
  readonly org: string;
  readonly env: 'test' | 'live';
  readonly keyId: string;
  readonly userId: string;
}

export interface Endpoint {
  readonly name: string;
  readonly method: string;
  path(t: Target): string;
  body?(t: Target): unknown;
  /** Who may call it, written out by hand so the test does not just restate the code's table. */
  readonly allowed: readonly RoleName[] | 'any-user';
  /** Whether it names a tenant; tenant-free endpoints are not part of the isolation sweep. */
  readonly scoped: boolean;
  readonly okStatus: number;
}

const managers: RoleName[] = ['owner', 'admin'];
const orgReaders: RoleName[] = ['owner', 'admin', 'compliance_officer', 'member', 'viewer'];
const keyReaders: RoleName[] = ['owner', 'admin', 'compliance_officer', 'viewer'];
const auditReaders: RoleName[] = ['owner', 'admin', 'compliance_officer', 'auditor', 'viewer'];
const auditExporters: RoleName[] = ['owner', 'admin', 'auditor'];
const approvalReaders: RoleName[] = ['owner', 'admin', 'compliance_officer', 'member', 'viewer'];
const requesters: RoleName[] = ['owner', 'admin', 'compliance_officer', 'member'];
const evidenceReaders: RoleName[] = ['owner', 'admin', 'compliance_officer', 'member', 'auditor', 'viewer'];
const everyMember: RoleName[] = ['owner', 'admin', 'compliance_officer', 'member', 'auditor', 'viewer'];

export const endpoints: readonly Endpoint[] = [
  {
    name: 'list roles',
    method: 'GET',
    path: () => '/v1/roles',
    allowed: 'any-user',
    scoped: false,
    okStatus: 200,
  },
  {
    name: 'who am I',
    method: 'GET',
    path: () => '/v1/me',
    allowed: 'any-user',
    scoped: false,
    okStatus: 200,
  },
  {
    name: 'list my organizations',
    method: 'GET',
    path: () => '/v1/orgs',
    allowed: 'any-user',
    scoped: false,
    okStatus: 200,
  },
  {
    name: 'read organization',
    method: 'GET',
    path: (t) => `/v1/orgs/${t.org}`,
    allowed: orgReaders,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'list members',
    method: 'GET',
    path: (t) => `/v1/orgs/${t.org}/members`,
    allowed: orgReaders,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'change a member role',
    method: 'PUT',
    path: (t) => `/v1/orgs/${t.org}/members/${t.userId}/role`,
    body: () => ({ role: 'viewer' }),
    allowed: managers,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'list API keys',
    method: 'GET',
    path: (t) => `/v1/orgs/${t.org}/envs/${t.env}/api-keys`,
    allowed: keyReaders,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'create an API key',
    method: 'POST',
    path: (t) => `/v1/orgs/${t.org}/envs/${t.env}/api-keys`,
    body: () => ({ name: 'matrix', scopes: ['approvals:read'] }),
    allowed: managers,
    scoped: true,
    okStatus: 201,
  },
  {
    name: 'read an API key',
    method: 'GET',
    path: (t) => `/v1/orgs/${t.org}/envs/${t.env}/api-keys/${t.keyId}`,
    allowed: keyReaders,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'rotate an API key',
    method: 'POST',
    path: (t) => `/v1/orgs/${t.org}/envs/${t.env}/api-keys/${t.keyId}/rotate`,
    body: () => ({ gracePeriodSeconds: 60 }),
    allowed: managers,
    scoped: true,
    okStatus: 201,
  },
  {
    name: 'revoke an API key',
    method: 'POST',
    path: (t) => `/v1/orgs/${t.org}/envs/${t.env}/api-keys/${t.keyId}/revoke`,
    allowed: managers,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'read audit entries',
    method: 'GET',
    path: (t) => `/v1/orgs/${t.org}/envs/${t.env}/audit/entries?limit=5`,
    allowed: auditReaders,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'read the latest checkpoint',
    method: 'GET',
    path: (t) => `/v1/orgs/${t.org}/envs/${t.env}/audit/checkpoint`,
    allowed: auditReaders,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'read the signing-key announcements and their proofs',
    method: 'GET',
    path: (t) => `/v1/orgs/${t.org}/envs/${t.env}/audit/key-announcements`,
    allowed: auditReaders,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'read an inclusion proof',
    method: 'GET',
    path: (t) => `/v1/orgs/${t.org}/envs/${t.env}/audit/proofs/inclusion?seq=0&size=1`,
    allowed: auditReaders,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'read a consistency proof',
    method: 'GET',
    path: (t) => `/v1/orgs/${t.org}/envs/${t.env}/audit/proofs/consistency?from=1&to=1`,
    allowed: auditReaders,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'export the audit log',
    method: 'GET',
    path: (t) => `/v1/orgs/${t.org}/envs/${t.env}/audit/export`,
    allowed: auditExporters,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'list approval requests',
    method: 'GET',
    path: (t) => `/v1/orgs/${t.org}/envs/${t.env}/approvals?status=all`,
    allowed: approvalReaders,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'raise an approval request',
    method: 'POST',
    path: (t) => `/v1/orgs/${t.org}/envs/${t.env}/approvals`,
    body: () => ({ kind: 'custom.matrix', title: 'Matrix request', payload: { n: 1 } }),
    allowed: requesters,
    scoped: true,
    okStatus: 201,
  },
  {
    name: 'list evidence',
    method: 'GET',
    path: (t) => `/v1/orgs/${t.org}/envs/${t.env}/evidence`,
    allowed: evidenceReaders,
    scoped: true,
    okStatus: 200,
  },
  {
    // Refused for everyone (policy changes are policy.update requests); managers are told so, on record.
    name: 'write the approval policy directly',
    method: 'PUT',
    path: (t) => `/v1/orgs/${t.org}/policy`,
    body: () => ({ expiryDays: 7 }),
    allowed: managers,
    scoped: true,
    okStatus: 403,
  },
  {
    name: 'write the webhook target directly',
    method: 'PUT',
    path: (t) => `/v1/orgs/${t.org}/envs/${t.env}/webhook`,
    body: () => ({ url: 'https://hooks.example.com/compliance' }),
    allowed: managers,
    scoped: true,
    okStatus: 403,
  },
  {
    name: 'list my device keys',
    method: 'GET',
    path: () => '/v1/me/device-keys',
    allowed: 'any-user',
    scoped: false,
    okStatus: 200,
  },
  {
    name: 'read the tenant directory',
    method: 'GET',
    path: (t) => `/v1/orgs/${t.org}/envs/${t.env}/directory`,
    allowed: everyMember,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'read the approval policy',
    method: 'GET',
    path: (t) => `/v1/orgs/${t.org}/policy`,
    allowed: orgReaders,
    scoped: true,
    okStatus: 200,
  },
];

/** A fresh target in `org`/`env`: a new active key, and the organization's viewer as the member to change. */
export async function freshTarget(
  platform: TestPlatform,
  org: string,
  env: 'test' | 'live',
): Promise<Target> {
  const owner = platform.user(org, 'owner');
  const tokens = await ownerTokens(platform, owner.email);
  const created = await platform.call('POST', `/v1/orgs/${org}/envs/${env}/api-keys`, {
    token: tokens,
    body: { name: 'target', scopes: ['approvals:read', 'audit:read'] },
  });
  if (created.status !== 201) throw new Error(`Could not create target key: ${created.text}`);
  return { org, env, keyId: created.json.key.id, userId: platform.user(org, 'viewer').userId };
}

const ownerTokenCache = new Map<string, string>();

async function ownerTokens(platform: TestPlatform, email: string): Promise<string> {
  const key = `${platform.url}:${email}`;
  const cached = ownerTokenCache.get(key);
  if (cached) return cached;
  const user = platform.users.find((u) => u.email === email);
  if (!user) throw new Error(`No user ${email}`);
  const tokens = await platform.signIn(user);
  ownerTokenCache.set(key, tokens.accessToken);
  return tokens.accessToken;
}
