import { createHash, sign } from 'node:crypto';
import { createWriteStream, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import canonicalize from 'canonicalize';
import { platformPackageSource } from '../../electron/services/audit/platform-package-source';
import { PlatformClient } from '../../electron/services/platform/platform-client';
import { decisionStatementBytes } from '../../shared/approvals/decision-statement';
import { type BuildResult, buildPackage } from '../../shared/audit/package/builder';
import { readZipLayout } from '../../shared/audit/package/zip-layout';
import { PackageZipWriter } from '../../shared/audit/package/zip-writer';
import { ok } from '../../shared/result';
import type { Device } from './approvals';
import type { TestPlatform } from './platform';

/** Builds a package from the platform's HTTP API, as the console does, signed in with `token`. */
export async function buildTestPackage(
  platform: TestPlatform,
  token: string,
  tenant: { organization: string; environment: 'test' | 'live' },
  period: { from: string; to: string },
  file: string,
): Promise<BuildResult> {
  const client = PlatformClient.create(platform.url, {
    token: async () => ok(token),
    renew: async () => ok(token),
  });
  if (!client.ok) throw new Error(client.error.message);
  const writer = new PackageZipWriter(createWriteStream(file));
  return buildPackage(platformPackageSource(client.value, tenant.organization), writer, {
    environment: tenant.environment,
    from: period.from,
    to: period.to,
    now: () => new Date(platform.clock.now()),
  });
}

/** A package's files by path, in archive order, to tamper with and write again. */
export async function readPackage(file: string): Promise<Map<string, Buffer>> {
  const handle = await open(file, 'r');
  try {
    const layout = await readZipLayout(handle, (await handle.stat()).size);
    if (!layout.ok) throw new Error(layout.reason);
    const bytes = readFileSync(file);
    return new Map(layout.entries.map((e) => [e.path, bytes.subarray(e.dataStart, e.dataStart + e.size)]));
  } finally {
    await handle.close();
  }
}

/** Writes files back as a package (the same conventions), so only what a test changed differs. */
export async function writePackage(files: Map<string, Buffer>, file: string): Promise<void> {
  const writer = new PackageZipWriter(createWriteStream(file));
  for (const [path, bytes] of files) writer.addBytes(path, bytes);
  await writer.end();
}

/** Rewrites one line of a text file inside the package; `edit` gets each line and returns its new text. */
export function editLines(bytes: Buffer, edit: (line: string) => string): Buffer {
  return Buffer.from(bytes.toString('utf8').split('\n').map(edit).join('\n'));
}

/**
 * A decision entry the platform itself would never write (it refuses a revoked key or a person who may not
 * decide), appended through its own audit log in process: the log stays intact and signed, only the rule
 * is broken, which is exactly what the package verifier must still catch.
 */
export async function appendCraftedDecision(
  platform: TestPlatform,
  tenant: Parameters<TestPlatform['ctx']['auditLog']['append']>[0],
  input: {
    approverId: string;
    device: Device;
    publicKey: string;
    request: { id: string; payloadHash: string; evidence: { sha256: string }[] };
  },
): Promise<void> {
  const comment = '';
  const statement = {
    requestId: input.request.id,
    decision: 'approve' as const,
    payloadHash: input.request.payloadHash,
    evidenceHashes: input.request.evidence.map((e) => e.sha256),
    commentHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    decidedAt: new Date(platform.clock.now()).toISOString(),
  };
  const signature = sign(null, decisionStatementBytes(statement), input.device.privateKey).toString('base64');
  // Awaited: the platform's stores are asynchronous on main (Kysely); awaiting a plain value changes nothing.
  await platform.ctx.auditLog.append(
    tenant,
    { actor: { type: 'user', id: input.approverId }, request: null },
    {
      action: 'approval.decide',
      resource: { type: 'approval_request', id: input.request.id },
      change: {
        before: null,
        after: JSON.parse(canonicalize({ statement, publicKey: input.publicKey, comment }) ?? '{}'),
      },
      signature: {
        keyId: input.device.id,
        algorithm: 'Ed25519',
        value: signature,
        payloadHash: input.request.payloadHash,
      },
    },
  );
}

/**
 * A break-glass co-signature as platform/approvals/break-glass.ts records it: the statement signed with the
 * platform's current audit key over the operator prefix. Appended directly (the real path needs a small
 * organization and a pending policy change); the verifier must accept it under the key auditors pin.
 */
export async function appendBreakGlass(
  platform: TestPlatform,
  tenant: Parameters<TestPlatform['ctx']['auditLog']['append']>[0],
  request: { id: string; payloadHash: string },
  reason: string,
): Promise<void> {
  const statement = {
    requestId: request.id,
    decision: 'approve' as const,
    payloadHash: request.payloadHash,
    evidenceHashes: [] as string[],
    commentHash: createHash('sha256').update(reason).digest('hex'),
    decidedAt: new Date(platform.clock.now()).toISOString(),
  };
  const signed = platform.ctx.auditKeys.signOperatorStatement(decisionStatementBytes(statement));
  await platform.ctx.auditLog.append(
    tenant,
    { actor: { type: 'system', id: 'platform' }, request: null },
    {
      action: 'approval.break_glass',
      resource: { type: 'approval_request', id: request.id },
      change: {
        before: null,
        after: { statement, reason, eligibleDeciders: 1, requiredApprovals: 2, ...signed },
      },
    },
  );
}
