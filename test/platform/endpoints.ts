import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { systemContext } from '../../platform/audit/audit-context';
import { type OrgScope, orgScope, tenantScope } from '../../platform/db/scope';
import { ElevationService } from '../../platform/elevations/elevation-service';
import { InvitationService } from '../../platform/invitations/invitation-service';
import { addMember, createUser } from '../../platform/organizations/provisioning';
import { ReviewService } from '../../platform/reviews/review-service';
import type { DemoUser } from '../../platform/seed/demo';
import { decisionStatementBytes } from '../../shared/approvals/decision-statement';
import type { Permission, RoleName } from '../../shared/domain/permissions';
import type { Device } from '../helpers/approvals';
import type { CallResult, TestPlatform } from '../helpers/platform';

/** A person signed in, with a device key registered (decisions are signed with it). */
export interface Person {
  readonly user: DemoUser;
  readonly token: string;
  readonly device: Device;
}

/** Who makes a call: a person, or an API key (which acts for the person who created it). */
export interface Caller {
  readonly kind: 'person' | 'api-key';
  readonly organization: string;
  readonly token: string;
  /** The person calling; for an API key, the person who created it. */
  readonly person: Person;
}

/**
 * What an endpoint call needs, prepared fresh for each call (rotation, revocation and withdrawal use
 * things up). Ids belong to the target tenant; "own" things belong to the caller where the caller is a
 * member of it, and to the organization's owner otherwise (so they are another tenant's, for the sweep).
 */
export interface Target {
  readonly org: string;
  readonly env: 'test' | 'live';
  /** An active API key of the tenant. */
  readonly keyId: string;
  /** The organization's viewer: the member whose role is changed. */
  readonly userId: string;
  /** A pending request someone other than the caller raised, so the caller may decide it. */
  readonly requestId: string;
  readonly payloadHash: string;
  /** A pending request the caller raised (withdraw and result are the requester's). */
  readonly ownRequestId: string;
  readonly evidenceId: string;
  /** `expires=…&signature=…` of a download URL for `evidenceId` issued to the caller. */
  readonly download: string;
  /** A device key of the caller's own. */
  readonly deviceKeyId: string;
  /** The caller's device (for an API key: its creator's), which signs the decision on `requestId`. */
  readonly signer: Device;
  readonly decidedAt: string;
  /** A pending invitation of the organization. */
  readonly invitationId: string;
  /** An elevation in force in the organization (of a person kept for it, never a caller). */
  readonly elevationId: string;
  /** An open access review the caller started where they may (else the owner), with the caller a reviewer. */
  readonly campaignId: string;
  /** An undecided item of that campaign assigned to the caller (any item for one who may not decide). */
  readonly itemId: string;
  /** Reviewers for a new campaign: the caller where they may decide, and another person who may. */
  readonly reviewers: readonly string[];
}

export interface Endpoint {
  readonly name: string;
  readonly method: string;
  /** The route as the server declares it: the matrix checks this table against the server's own. */
  readonly route: string;
  path(t: Target): string;
  body?(t: Target): unknown;
  /** Sent as raw bytes of this type instead of JSON (evidence uploads). */
  readonly rawContentType?: string;
  /**
   * Which roles may call it, written out by hand so the test does not just restate the code's table.
   * 'any-user' is every signed-in person whatever their role.
   */
  readonly allowed: readonly RoleName[] | 'any-user';
  /** Whether it names a tenant; tenant-free endpoints are not part of the organization sweep. */
  readonly scoped: boolean;
  readonly okStatus: number;
  /**
   * A direct write the platform's default policy keeps out of the green lane in these environments:
   * there, the roles that may call it are told `approval-required` instead.
   */
  readonly approvalRequiredByDefaultIn?: readonly ('test' | 'live')[];
}

const managers: RoleName[] = ['owner', 'admin'];
const orgReaders: RoleName[] = ['owner', 'admin', 'compliance_officer', 'member', 'viewer'];
const keyReaders: RoleName[] = ['owner', 'admin', 'compliance_officer', 'viewer'];
const auditReaders: RoleName[] = ['owner', 'admin', 'compliance_officer', 'auditor', 'viewer'];
const auditExporters: RoleName[] = ['owner', 'admin', 'auditor'];
const approvalReaders: RoleName[] = ['owner', 'admin', 'compliance_officer', 'member', 'viewer'];
const requesters: RoleName[] = ['owner', 'admin', 'compliance_officer', 'member'];
const deciders: RoleName[] = ['owner', 'admin', 'compliance_officer'];
const evidenceReaders: RoleName[] = ['owner', 'admin', 'compliance_officer', 'member', 'auditor', 'viewer'];
const uploaders: RoleName[] = ['owner', 'admin', 'compliance_officer', 'member'];
const everyMember: RoleName[] = ['owner', 'admin', 'compliance_officer', 'member', 'auditor', 'viewer'];
/** Who reads access reviews: those who decide, and those who read the audit log. */
const reviewReaders: RoleName[] = ['owner', 'admin', 'compliance_officer', 'auditor', 'viewer'];

const tenantPath = (t: Target) => `/v1/orgs/${t.org}/envs/${t.env}`;

/** Every scope an API key may be given (never keys:manage or members:manage), written out by hand. */
export const everyKeyScope: readonly Permission[] = [
  'orgs:read',
  'members:read',
  'keys:read',
  'approvals:read',
  'approvals:request',
  'approvals:decide',
  'evidence:read',
  'evidence:upload',
  'audit:read',
  'audit:export',
  'policy:manage',
];

/**
 * Every authenticated route of the platform, one row each. A route the server declares without a row
 * (or a row for a route it no longer declares) fails the matrix: add the row here, with its name in the
 * API-key table of permission-matrix.test.ts.
 */
export const endpoints: readonly Endpoint[] = [
  // Who is asking
  {
    name: 'list roles',
    method: 'GET',
    route: '/v1/roles',
    path: () => '/v1/roles',
    allowed: 'any-user',
    scoped: false,
    okStatus: 200,
  },
  {
    name: 'who am I',
    method: 'GET',
    route: '/v1/me',
    path: () => '/v1/me',
    allowed: 'any-user',
    scoped: false,
    okStatus: 200,
  },
  {
    name: 'list my organizations',
    method: 'GET',
    route: '/v1/orgs',
    path: () => '/v1/orgs',
    allowed: 'any-user',
    scoped: false,
    okStatus: 200,
  },
  {
    // What an API key may know of itself: no person may call it, whatever their role.
    name: 'describe the calling API key',
    method: 'GET',
    route: '/v1/api-keys/self',
    path: () => '/v1/api-keys/self',
    allowed: [],
    scoped: false,
    okStatus: 200,
  },
  // Organizations and members
  {
    name: 'read organization',
    method: 'GET',
    route: '/v1/orgs/:org',
    path: (t) => `/v1/orgs/${t.org}`,
    allowed: orgReaders,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'list members',
    method: 'GET',
    route: '/v1/orgs/:org/members',
    path: (t) => `/v1/orgs/${t.org}/members`,
    allowed: orgReaders,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'change a member role',
    method: 'PUT',
    route: '/v1/orgs/:org/members/:userId/role',
    path: (t) => `/v1/orgs/${t.org}/members/${t.userId}/role`,
    body: () => ({ role: 'viewer' }),
    allowed: managers,
    scoped: true,
    okStatus: 200,
    approvalRequiredByDefaultIn: ['test', 'live'],
  },
  // API keys
  {
    name: 'list API keys',
    method: 'GET',
    route: '/v1/orgs/:org/envs/:env/api-keys',
    path: (t) => `${tenantPath(t)}/api-keys`,
    allowed: keyReaders,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'create an API key',
    method: 'POST',
    route: '/v1/orgs/:org/envs/:env/api-keys',
    path: (t) => `${tenantPath(t)}/api-keys`,
    body: () => ({ name: 'matrix', scopes: ['approvals:read'] }),
    allowed: managers,
    scoped: true,
    okStatus: 201,
    approvalRequiredByDefaultIn: ['live'],
  },
  {
    name: 'read an API key',
    method: 'GET',
    route: '/v1/orgs/:org/envs/:env/api-keys/:keyId',
    path: (t) => `${tenantPath(t)}/api-keys/${t.keyId}`,
    allowed: keyReaders,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'rotate an API key',
    method: 'POST',
    route: '/v1/orgs/:org/envs/:env/api-keys/:keyId/rotate',
    path: (t) => `${tenantPath(t)}/api-keys/${t.keyId}/rotate`,
    body: () => ({ gracePeriodSeconds: 60 }),
    allowed: managers,
    scoped: true,
    okStatus: 201,
    approvalRequiredByDefaultIn: ['live'],
  },
  {
    name: 'revoke an API key',
    method: 'POST',
    route: '/v1/orgs/:org/envs/:env/api-keys/:keyId/revoke',
    path: (t) => `${tenantPath(t)}/api-keys/${t.keyId}/revoke`,
    allowed: managers,
    scoped: true,
    okStatus: 200,
    approvalRequiredByDefaultIn: ['live'],
  },
  // Audit log
  {
    name: 'read audit entries',
    method: 'GET',
    route: '/v1/orgs/:org/envs/:env/audit/entries',
    path: (t) => `${tenantPath(t)}/audit/entries?limit=5`,
    allowed: auditReaders,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'read the latest checkpoint',
    method: 'GET',
    route: '/v1/orgs/:org/envs/:env/audit/checkpoint',
    path: (t) => `${tenantPath(t)}/audit/checkpoint`,
    allowed: auditReaders,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'read the signing-key announcements and their proofs',
    method: 'GET',
    route: '/v1/orgs/:org/envs/:env/audit/key-announcements',
    path: (t) => `${tenantPath(t)}/audit/key-announcements`,
    allowed: auditReaders,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'read an inclusion proof',
    method: 'GET',
    route: '/v1/orgs/:org/envs/:env/audit/proofs/inclusion',
    path: (t) => `${tenantPath(t)}/audit/proofs/inclusion?seq=0&size=1`,
    allowed: auditReaders,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'read a consistency proof',
    method: 'GET',
    route: '/v1/orgs/:org/envs/:env/audit/proofs/consistency',
    path: (t) => `${tenantPath(t)}/audit/proofs/consistency?from=1&to=1`,
    allowed: auditReaders,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'export the audit log',
    method: 'GET',
    route: '/v1/orgs/:org/envs/:env/audit/export',
    path: (t) => `${tenantPath(t)}/audit/export`,
    allowed: auditExporters,
    scoped: true,
    okStatus: 200,
  },
  // Approval requests
  {
    name: 'list approval requests',
    method: 'GET',
    route: '/v1/orgs/:org/envs/:env/approvals',
    path: (t) => `${tenantPath(t)}/approvals?status=all`,
    allowed: approvalReaders,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'raise an approval request',
    method: 'POST',
    route: '/v1/orgs/:org/envs/:env/approvals',
    path: (t) => `${tenantPath(t)}/approvals`,
    body: () => ({ kind: 'custom.matrix', title: 'Matrix request', payload: { n: 1 } }),
    allowed: requesters,
    scoped: true,
    okStatus: 201,
  },
  {
    name: 'read an approval request',
    method: 'GET',
    route: '/v1/orgs/:org/envs/:env/approvals/:requestId',
    path: (t) => `${tenantPath(t)}/approvals/${t.requestId}`,
    allowed: approvalReaders,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'read the timeline of a request',
    method: 'GET',
    route: '/v1/orgs/:org/envs/:env/approvals/:requestId/timeline',
    path: (t) => `${tenantPath(t)}/approvals/${t.requestId}/timeline`,
    allowed: approvalReaders,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'read the webhook deliveries of a request',
    method: 'GET',
    route: '/v1/orgs/:org/envs/:env/approvals/:requestId/deliveries',
    path: (t) => `${tenantPath(t)}/approvals/${t.requestId}/deliveries`,
    allowed: approvalReaders,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'decide a request (signed by a registered device)',
    method: 'POST',
    route: '/v1/orgs/:org/envs/:env/approvals/:requestId/decisions',
    path: (t) => `${tenantPath(t)}/approvals/${t.requestId}/decisions`,
    body: signedApproval,
    allowed: deciders,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'comment on a request',
    method: 'POST',
    route: '/v1/orgs/:org/envs/:env/approvals/:requestId/comments',
    path: (t) => `${tenantPath(t)}/approvals/${t.requestId}/comments`,
    body: () => ({ body: 'Matrix comment.' }),
    allowed: approvalReaders,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'withdraw an own request',
    method: 'POST',
    route: '/v1/orgs/:org/envs/:env/approvals/:requestId/withdraw',
    path: (t) => `${tenantPath(t)}/approvals/${t.ownRequestId}/withdraw`,
    allowed: requesters,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'collect the result of an own request',
    method: 'POST',
    route: '/v1/orgs/:org/envs/:env/approvals/:requestId/result',
    path: (t) => `${tenantPath(t)}/approvals/${t.ownRequestId}/result`,
    allowed: requesters,
    scoped: true,
    okStatus: 200,
  },
  // Evidence
  {
    name: 'upload evidence',
    method: 'POST',
    route: '/v1/orgs/:org/envs/:env/evidence',
    path: (t) => `${tenantPath(t)}/evidence?name=matrix.txt`,
    body: () => `Matrix evidence ${randomBytes(8).toString('hex')}\n`,
    rawContentType: 'application/octet-stream',
    allowed: uploaders,
    scoped: true,
    okStatus: 201,
  },
  {
    name: 'list evidence',
    method: 'GET',
    route: '/v1/orgs/:org/envs/:env/evidence',
    path: (t) => `${tenantPath(t)}/evidence`,
    allowed: evidenceReaders,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'list evidence with filters and pages',
    method: 'GET',
    route: '/v1/orgs/:org/envs/:env/evidence/catalog',
    path: (t) => `${tenantPath(t)}/evidence/catalog?status=current&limit=5`,
    allowed: evidenceReaders,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'read the evidence coverage per month',
    method: 'GET',
    route: '/v1/orgs/:org/envs/:env/evidence/coverage',
    path: (t) => `${tenantPath(t)}/evidence/coverage`,
    allowed: evidenceReaders,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'read one evidence file’s metadata',
    method: 'GET',
    route: '/v1/orgs/:org/envs/:env/evidence/:evidenceId',
    path: (t) => `${tenantPath(t)}/evidence/${t.evidenceId}`,
    allowed: evidenceReaders,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'issue a download URL for evidence',
    method: 'POST',
    route: '/v1/orgs/:org/envs/:env/evidence/:evidenceId/url',
    path: (t) => `${tenantPath(t)}/evidence/${t.evidenceId}/url`,
    allowed: evidenceReaders,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'download evidence through a URL issued to the caller',
    method: 'GET',
    route: '/v1/orgs/:org/envs/:env/evidence/:evidenceId/content',
    path: (t) => `${tenantPath(t)}/evidence/${t.evidenceId}/content?${t.download}`,
    allowed: evidenceReaders,
    scoped: true,
    okStatus: 200,
  },
  // Policy and webhook
  {
    name: 'read the approval policy',
    method: 'GET',
    route: '/v1/orgs/:org/policy',
    path: (t) => `/v1/orgs/${t.org}/policy`,
    allowed: orgReaders,
    scoped: true,
    okStatus: 200,
  },
  {
    // Refused for everyone (policy changes are policy.update requests); managers are told so, on record.
    name: 'write the approval policy directly',
    method: 'PUT',
    route: '/v1/orgs/:org/policy',
    path: (t) => `/v1/orgs/${t.org}/policy`,
    body: () => ({ expiryDays: 7 }),
    allowed: managers,
    scoped: true,
    okStatus: 403,
  },
  {
    name: 'write the webhook target directly',
    method: 'PUT',
    route: '/v1/orgs/:org/envs/:env/webhook',
    path: (t) => `${tenantPath(t)}/webhook`,
    // Loopback and a closed port: deliveries of executed requests never leave this machine.
    body: () => ({ url: 'http://127.0.0.1:9/matrix-hook' }),
    allowed: managers,
    scoped: true,
    okStatus: 403,
  },
  // Device keys
  {
    name: 'list my device keys',
    method: 'GET',
    route: '/v1/me/device-keys',
    path: () => '/v1/me/device-keys',
    allowed: 'any-user',
    scoped: false,
    okStatus: 200,
  },
  {
    name: 'register a device key',
    method: 'POST',
    route: '/v1/me/device-keys',
    path: () => '/v1/me/device-keys',
    body: () => ({ name: 'matrix laptop', publicKey: newDevicePublicKey().publicKey }),
    allowed: 'any-user',
    scoped: false,
    okStatus: 201,
  },
  {
    name: 'revoke an own device key',
    method: 'POST',
    route: '/v1/me/device-keys/:keyId/revoke',
    path: (t) => `/v1/me/device-keys/${t.deviceKeyId}/revoke`,
    allowed: 'any-user',
    scoped: false,
    okStatus: 200,
  },
  // The tenant's names for its ids
  {
    name: 'read the tenant directory',
    method: 'GET',
    route: '/v1/orgs/:org/envs/:env/directory',
    path: (t) => `${tenantPath(t)}/directory`,
    allowed: everyMember,
    scoped: true,
    okStatus: 200,
  },
  // Member lifecycle
  {
    name: 'list invitations',
    method: 'GET',
    route: '/v1/orgs/:org/invitations',
    path: (t) => `/v1/orgs/${t.org}/invitations?status=all`,
    allowed: orgReaders,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'revoke an invitation',
    method: 'POST',
    route: '/v1/orgs/:org/invitations/:invitationId/revoke',
    path: (t) => `/v1/orgs/${t.org}/invitations/${t.invitationId}/revoke`,
    allowed: managers,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'list elevations',
    method: 'GET',
    route: '/v1/orgs/:org/elevations',
    path: (t) => `/v1/orgs/${t.org}/elevations?status=all`,
    allowed: orgReaders,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'end an elevation early',
    method: 'POST',
    route: '/v1/orgs/:org/elevations/:elevationId/end',
    path: (t) => `/v1/orgs/${t.org}/elevations/${t.elevationId}/end`,
    allowed: managers,
    scoped: true,
    okStatus: 200,
  },
  {
    // Members and keys together: members:read and keys:read.
    name: 'read the grants of a tenant with their last use',
    method: 'GET',
    route: '/v1/orgs/:org/envs/:env/grants',
    path: (t) => `${tenantPath(t)}/grants`,
    allowed: keyReaders,
    scoped: true,
    okStatus: 200,
  },
  // Access reviews
  {
    name: 'start an access review',
    method: 'POST',
    route: '/v1/orgs/:org/reviews',
    path: (t) => `/v1/orgs/${t.org}/reviews`,
    body: (t) => ({
      title: 'Matrix review',
      covers: ['members'],
      reviewers: t.reviewers,
      deadline: new Date(Date.parse(t.decidedAt) + 7 * 24 * 3600_000).toISOString(),
    }),
    allowed: deciders,
    scoped: true,
    okStatus: 201,
  },
  {
    name: 'list access reviews',
    method: 'GET',
    route: '/v1/orgs/:org/reviews',
    path: (t) => `/v1/orgs/${t.org}/reviews`,
    allowed: reviewReaders,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'read an access review',
    method: 'GET',
    route: '/v1/orgs/:org/reviews/:campaignId',
    path: (t) => `/v1/orgs/${t.org}/reviews/${t.campaignId}`,
    allowed: reviewReaders,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'list review items',
    method: 'GET',
    route: '/v1/orgs/:org/review-items',
    path: (t) => `/v1/orgs/${t.org}/review-items?reviewer=all&limit=5`,
    allowed: reviewReaders,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'decide a review item',
    method: 'POST',
    route: '/v1/orgs/:org/reviews/:campaignId/items/:itemId/decision',
    path: (t) => `/v1/orgs/${t.org}/reviews/${t.campaignId}/items/${t.itemId}/decision`,
    body: () => ({ decision: 'keep', reason: 'Matrix: still needed.' }),
    allowed: deciders,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'close an access review early',
    method: 'POST',
    route: '/v1/orgs/:org/reviews/:campaignId/close',
    path: (t) => `/v1/orgs/${t.org}/reviews/${t.campaignId}/close`,
    allowed: deciders,
    scoped: true,
    okStatus: 200,
  },
  {
    name: 'read the evidence pack of an access review',
    method: 'GET',
    route: '/v1/orgs/:org/reviews/:campaignId/pack',
    path: (t) => `/v1/orgs/${t.org}/reviews/${t.campaignId}/pack`,
    allowed: reviewReaders,
    scoped: true,
    okStatus: 200,
  },
];

/** The signer's approval of `requestId`, signed over the canonical statement as the console does. */
export function signedApproval(t: Target): unknown {
  const statement = {
    requestId: t.requestId,
    decision: 'approve' as const,
    payloadHash: t.payloadHash,
    evidenceHashes: [],
    commentHash: createHash('sha256').update('').digest('hex'),
    decidedAt: t.decidedAt,
  };
  return {
    decision: 'approve',
    comment: '',
    deviceKeyId: t.signer.id,
    decidedAt: t.decidedAt,
    signature: sign(null, decisionStatementBytes(statement), t.signer.privateKey).toString('base64'),
    idempotencyKey: `matrix-${randomBytes(8).toString('hex')}`,
  };
}

/** Whether `path` (query aside) is an instance of the route pattern `route`. */
export function pathMatchesRoute(route: string, path: string): boolean {
  const pattern = route
    .split('/')
    .map((part) => (part.startsWith(':') ? '[^/?]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${pattern}(\\?.*)?$`).test(path);
}

export function callEndpoint(
  platform: TestPlatform,
  endpoint: Endpoint,
  target: Target,
  token: string | undefined,
): Promise<CallResult> {
  const body = endpoint.body?.(target);
  if (endpoint.rawContentType)
    return platform.call(endpoint.method, endpoint.path(target), {
      token,
      rawBody: String(body),
      headers: { 'content-type': endpoint.rawContentType },
    });
  return platform.call(endpoint.method, endpoint.path(target), { token, body });
}

function newDevicePublicKey() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return { publicKey: Buffer.from(raw).toString('base64'), privateKey };
}

async function registerDeviceOf(platform: TestPlatform, token: string): Promise<Device> {
  const { publicKey, privateKey } = newDevicePublicKey();
  const reply = await platform.call('POST', '/v1/me/device-keys', {
    token,
    body: { name: 'matrix laptop', publicKey },
  });
  if (reply.status !== 201) throw new Error(`device registration failed: ${reply.text}`);
  return { id: reply.json.id, privateKey };
}

/**
 * A new device key of the person's, besides the one they sign with. The platform keeps ten active keys
 * a person at most, so the spares of earlier targets are revoked first.
 */
async function spareDevice(platform: TestPlatform, person: Person): Promise<Device> {
  const listed = await platform.call('GET', '/v1/me/device-keys', { token: person.token });
  const spares = (listed.json.keys as { id: string; revokedAt: string | null }[]).filter(
    (k) => k.revokedAt === null && k.id !== person.device.id,
  );
  for (const spare of spares) {
    const revoked = await platform.call('POST', `/v1/me/device-keys/${spare.id}/revoke`, {
      token: person.token,
    });
    if (revoked.status !== 200) throw new Error(`Could not revoke a spare device key: ${revoked.text}`);
  }
  return registerDeviceOf(platform, person.token);
}

const people = new WeakMap<TestPlatform, Map<string, Promise<Person>>>();

/** The organization's demo person with `role`, signed in once per platform, with a device key. */
export function personOf(platform: TestPlatform, organization: string, role: RoleName): Promise<Person> {
  let known = people.get(platform);
  if (!known) {
    known = new Map();
    people.set(platform, known);
  }
  const key = `${organization}/${role}`;
  let person = known.get(key);
  if (!person) {
    person = (async () => {
      const user = platform.user(organization, role);
      const token = (await platform.signIn(user)).accessToken;
      return { user, token, device: await registerDeviceOf(platform, token) };
    })();
    known.set(key, person);
  }
  return person;
}

export async function personCaller(
  platform: TestPlatform,
  organization: string,
  role: RoleName,
): Promise<Caller> {
  const person = await personOf(platform, organization, role);
  return { kind: 'person', organization, token: person.token, person };
}

/** A new API key of the tenant with `scopes`, made by the organization's owner (straight through the service, whatever the lane). */
export async function apiKeyCaller(
  platform: TestPlatform,
  organization: string,
  env: 'test' | 'live',
  scopes: readonly Permission[],
): Promise<Caller & { keyId: string }> {
  const owner = await personOf(platform, organization, 'owner');
  const created = await createKey(platform, organization, env, owner.user, scopes);
  return { kind: 'api-key', organization, token: created.secret, person: owner, keyId: created.key.id };
}

async function createKey(
  platform: TestPlatform,
  organization: string,
  env: 'test' | 'live',
  creator: DemoUser,
  scopes: readonly Permission[],
) {
  const org = await platform.ctx.stores.organizations.findBySlug(organization);
  if (!org) throw new Error(`No organization ${organization}`);
  const created = await platform.ctx.apiKeys.create(
    tenantScope(orgScope(org.id, org.slug), env),
    { userId: creator.userId, role: creator.role },
    { name: 'target', scopes: [...scopes] },
    systemContext,
  );
  if (!created.ok) throw new Error(`Could not create a key: ${created.error.message}`);
  return created.value;
}

async function raise(platform: TestPlatform, org: string, env: string, token: string, title: string) {
  return platform.call('POST', `/v1/orgs/${org}/envs/${env}/approvals`, {
    token,
    body: { kind: 'custom.matrix', title, payload: { title } },
  });
}

/** A pending request raised by `actor`; a person whose role may not raise one is made a member meanwhile. */
async function ownRequest(platform: TestPlatform, org: string, env: string, actor: Caller, owner: Person) {
  const first = await raise(platform, org, env, actor.token, 'Own request');
  if (first.status === 201) return first.json as { id: string };
  if (actor.kind === 'api-key') {
    // A key that may not raise requests has none of its own; its creator's stands in.
    const byCreator = await raise(platform, org, env, owner.token, 'Own request of the creator');
    if (byCreator.status !== 201) throw new Error(`Could not raise: ${byCreator.text}`);
    return byCreator.json as { id: string };
  }
  const row = await platform.ctx.stores.organizations.findBySlug(org);
  if (!row) throw new Error(`No organization ${org}`);
  const scope = orgScope(row.id, row.slug);
  const { userId, role } = actor.person.user;
  await platform.ctx.stores.memberships.setRole(scope, userId, 'member');
  try {
    const raised = await raise(platform, org, env, actor.token, 'Own request, raised before a demotion');
    if (raised.status !== 201) throw new Error(`Could not raise: ${raised.text}`);
    return raised.json as { id: string };
  } finally {
    await platform.ctx.stores.memberships.setRole(scope, userId, role);
  }
}

/** A fresh target in `org`/`env` for `caller` (see Target). */
export async function freshTarget(
  platform: TestPlatform,
  org: string,
  env: 'test' | 'live',
  caller: Caller,
): Promise<Target> {
  const owner = await personOf(platform, org, 'owner');
  const insider = caller.organization === org;
  const actor: Caller = insider
    ? caller
    : { kind: 'person', organization: org, token: owner.token, person: owner };
  const key = await createKey(platform, org, env, owner.user, ['approvals:read', 'audit:read']);
  // Raised by someone other than the caller (an API key's creator counts as the caller).
  const other = await personOf(platform, org, actor.person.user.role === 'admin' ? 'owner' : 'admin');
  const theirs = await raise(platform, org, env, other.token, 'Someone else’s request');
  if (theirs.status !== 201) throw new Error(`Could not raise: ${theirs.text}`);
  const own = await ownRequest(platform, org, env, actor, owner);
  const uploaded = await platform.call(
    'POST',
    `/v1/orgs/${org}/envs/${env}/evidence?name=${encodeURIComponent('target.txt')}`,
    {
      token: owner.token,
      rawBody: `Target evidence ${randomBytes(8).toString('hex')}\n`,
      headers: { 'content-type': 'application/octet-stream' },
    },
  );
  if (uploaded.status !== 201) throw new Error(`Could not upload: ${uploaded.text}`);
  const evidenceId = uploaded.json.id as string;
  const urlPath = `/v1/orgs/${org}/envs/${env}/evidence/${evidenceId}/url`;
  let link = await platform.call('POST', urlPath, { token: actor.token });
  // A caller that may not read evidence gets no URL of its own; the owner's stands in.
  if (link.status !== 200) link = await platform.call('POST', urlPath, { token: owner.token });
  if (link.status !== 200) throw new Error(`Could not issue a URL: ${link.text}`);
  const device = await spareDevice(platform, actor.person);
  const lifecycle = await lifecycleTarget(platform, org, env, actor, owner, theirs.json.id);
  return {
    ...lifecycle,
    org,
    env,
    keyId: key.key.id,
    userId: platform.user(org, 'viewer').userId,
    requestId: theirs.json.id,
    payloadHash: theirs.json.payloadHash,
    ownRequestId: own.id,
    evidenceId,
    download: String(link.json.url).split('?')[1] ?? '',
    deviceKeyId: device.id,
    signer: caller.person.device,
    decidedAt: new Date(platform.clock.now()).toISOString(),
  };
}

const deciderRoles: readonly RoleName[] = ['owner', 'admin', 'compliance_officer'];
const elevationSubjects = new WeakMap<TestPlatform, Map<string, Promise<string>>>();

/** A viewer kept in each organization only to be elevated by targets (so no caller's role ever changes). */
function elevationSubject(platform: TestPlatform, org: OrgScope): Promise<string> {
  let known = elevationSubjects.get(platform);
  if (!known) {
    known = new Map();
    elevationSubjects.set(platform, known);
  }
  let subject = known.get(org.organizationSlug);
  if (!subject) {
    subject = (async () => {
      const { userId } = await createUser(platform.ctx, {
        email: `elevated-${org.organizationSlug}@example.test`,
        displayName: `Elevated ${org.organizationSlug}`,
        password: randomBytes(12).toString('hex'),
      });
      await addMember(platform.ctx, org, userId, 'viewer');
      return userId;
    })();
    known.set(org.organizationSlug, subject);
  }
  return subject;
}

/**
 * The lifecycle part of a target, made through the services as an executed request would (test setup):
 * a pending invitation, an elevation in force (the one before it ended), an open campaign with an item
 * for the caller.
 */
async function lifecycleTarget(
  platform: TestPlatform,
  slug: string,
  env: 'test' | 'live',
  actor: Caller,
  owner: Person,
  requestId: string,
): Promise<Pick<Target, 'invitationId' | 'elevationId' | 'campaignId' | 'itemId' | 'reviewers'>> {
  const row = await platform.ctx.stores.organizations.findBySlug(slug);
  if (!row) throw new Error(`No organization ${slug}`);
  const org = orgScope(row.id, row.slug);
  const tenant = tenantScope(org, env);
  const invited = await new InvitationService(platform.ctx).issue(
    tenant,
    requestId,
    owner.user.userId,
    {
      email: `matrix-${randomBytes(6).toString('hex')}@example.test`,
      role: 'viewer',
      displayName: 'Matrix Invitee',
    },
    systemContext,
  );
  if (!invited.ok) throw new Error(`Could not invite: ${invited.error.message}`);
  const elevations = new ElevationService(platform.ctx);
  const subject = await elevationSubject(platform, org);
  await elevations.endFor(org, subject, 'ended-early', 'platform', systemContext);
  const elevated = await elevations.grant(
    tenant,
    requestId,
    subject,
    { role: 'auditor', durationMinutes: 60, reason: 'Matrix target' },
    systemContext,
  );
  if (!elevated.ok) throw new Error(`Could not elevate: ${elevated.error.message}`);
  // The caller reviews where their role lets them decide (a key's person is not its caller: the owner starts).
  const reviewer =
    actor.kind === 'person' && deciderRoles.includes(actor.person.user.role) ? actor.person.user : owner.user;
  const other = platform.user(slug, reviewer.role === 'owner' ? 'admin' : 'owner');
  const reviewers = [reviewer.userId, other.userId];
  const reviews = new ReviewService(platform.ctx);
  const started = await reviews.start(
    org,
    reviewer.userId,
    {
      title: 'Matrix target review',
      covers: ['members'],
      reviewers,
      deadline: new Date(platform.clock.now() + 7 * 24 * 3600_000).toISOString(),
    },
    systemContext,
  );
  if (!started.ok) throw new Error(`Could not start a review: ${started.error.message}`);
  const items = await reviews.items(org, {
    campaignId: started.value.id,
    reviewerId: reviewer.userId,
    limit: 1,
  });
  const item = items.items[0];
  if (!item) throw new Error('The target review has no item for its reviewer');
  return {
    invitationId: invited.value.invitation.id,
    elevationId: elevated.value.id,
    campaignId: started.value.id,
    itemId: item.id,
    reviewers,
  };
}

/** The ids a target carries, by name, for sweeps that swap them between tenants. */
export const targetIds = [
  'keyId',
  'userId',
  'requestId',
  'ownRequestId',
  'evidenceId',
  'deviceKeyId',
  'invitationId',
  'elevationId',
  'campaignId',
  'itemId',
] as const;
export type TargetId = (typeof targetIds)[number];

/** Which of the target's ids the endpoint's path names. */
export function idsNamedBy(endpoint: Endpoint): TargetId[] {
  const sentinel = Object.fromEntries(targetIds.map((id) => [id, `@${id}@`])) as Record<TargetId, string>;
  const path = endpoint.path({
    ...sentinel,
    org: 'o',
    env: 'test',
    payloadHash: '',
    download: '',
    signer: { id: '', privateKey: generateKeyPairSync('ed25519').privateKey },
    decidedAt: '',
    reviewers: [],
  });
  return targetIds.filter((id) => path.includes(`@${id}@`));
}

/** An id of the same shape as `id` that names nothing. */
export function unknownIdLike(id: string): string {
  return id.replace(/[a-z2-7]{26}$/, 'a'.repeat(26));
}
