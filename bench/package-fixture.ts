import { createHash, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import canonicalize from 'canonicalize';
import { systemContext } from '../platform/audit/audit-context';
import type { PlatformContext } from '../platform/context';
import { newId } from '../platform/crypto/random';
import { orgOf, type TenantScope } from '../platform/db/scope';
import { DeviceKeyService } from '../platform/devices/device-key-service';
import { addMember, createUser } from '../platform/organizations/provisioning';
import { decisionStatementBytes } from '../shared/approvals/decision-statement';
import type { PackageDataSource } from '../shared/audit/package/builder';
import { realisticEvent } from './audit-fixture';

/**
 * A period for bench:package, made through the platform's own audit log (in process, as bench:audit does):
 * people added as members, device keys registered through the platform's device-key service, then
 * 1,000,000 entries of which 1,024 requests each have an evidence file (1 GiB in all), its upload, its
 * request with the file attached, and an approval signed by a real device key; the rest are the realistic
 * entries bench:audit uses (its unsigned `approval.decide` filler made comments, since a decision without a
 * signature is exactly what the verifier reports).
 */

export const REQUESTS = 1024;
/** Sizes cycled over the files: 1 MiB on average, so 1,024 files make 1 GiB. */
const SIZES = [256, 512, 768, 1024, 1280, 1536, 1792, 1024].map((k) => k * 1024);
const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

interface EvidenceFile {
  readonly id: string;
  readonly requestId: string;
  readonly size: number;
  readonly sha256: string;
  readonly json: boolean;
}

const LINES = Array.from(
  { length: 512 },
  (_, i) =>
    `${String(i).padStart(4, '0')} account svc-${(i * 7919) % 10007} reviewed by owner; access confirmed, MFA on, last use ${1 + (i % 28)} days ago\n`,
).join('');
const BLOCK = Buffer.from(LINES);

/** A file's bytes, made again on demand, the same each time: plain text or JSON of realistic shape. */
export function* evidenceChunks(index: number, size: number, json: boolean): Generator<Buffer> {
  const head = Buffer.from(
    json
      ? `{"snapshot":${index},"rules":"`
      : `Access review export ${index}\nGenerated for the quarterly controls\n\n`,
  );
  const tail = Buffer.from(json ? '"}\n' : '\nEnd of export\n');
  yield head;
  let left = size - head.length - tail.length;
  const body = json ? Buffer.from(BLOCK.toString().replace(/\n/g, ' ')) : BLOCK;
  while (left > 0) {
    const n = Math.min(left, body.length);
    yield body.subarray(0, n);
    left -= n;
  }
  yield tail;
}

function sha256Of(index: number, size: number, json: boolean): string {
  const hash = createHash('sha256');
  for (const chunk of evidenceChunks(index, size, json)) hash.update(chunk);
  return hash.digest('hex');
}

/** A realistic entry that is not a decision (see above). */
function filler(i: number) {
  const { context, event } = realisticEvent(i);
  return {
    context,
    event: event.action === 'approval.decide' ? { ...event, action: 'approval.comment' } : event,
  };
}

export interface PackageFixture {
  readonly from: string;
  readonly to: string;
  readonly files: Map<string, EvidenceFile & { index: number }>;
  readonly byRequest: Map<string, EvidenceFile>;
}

export async function buildPackagePeriod(
  ctx: PlatformContext,
  tenant: TenantScope,
  entries: number,
  log: (line: string) => void,
): Promise<PackageFixture> {
  const org = orgOf(tenant);
  const requester = await createUser(ctx, {
    email: 'member@acme.example',
    displayName: 'M',
    password: 'x'.repeat(16),
  });
  await addMember(ctx, org, requester.userId, 'member');
  const devices = new DeviceKeyService(ctx.stores, ctx.auditLog, ctx.clock);
  const deciders: { userId: string; keyId: string; privateKey: KeyObject; publicKey: string }[] = [];
  for (let i = 0; i < 4; i++) {
    const user = await createUser(ctx, {
      email: `officer-${i}@acme.example`,
      displayName: `Officer ${i}`,
      password: 'x'.repeat(16),
    });
    await addMember(ctx, org, user.userId, i === 0 ? 'admin' : 'compliance_officer');
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const raw = Buffer.from(publicKey.export({ format: 'der', type: 'spki' }).subarray(-32)).toString(
      'base64',
    );
    const registered = await devices.register(user.userId, `laptop ${i}`, raw, systemContext);
    if (!registered.ok) throw new Error(registered.error.message);
    deciders.push({ userId: user.userId, keyId: registered.value.id, privateKey, publicKey: raw });
  }
  await new Promise((resolve) => setTimeout(resolve, 5));
  const from = new Date().toISOString();
  await new Promise((resolve) => setTimeout(resolve, 5));

  const files = new Map<string, EvidenceFile & { index: number }>();
  const byRequest = new Map<string, EvidenceFile>();
  // Each request takes three entries (upload, request, decision), spread evenly through the period.
  const every = Math.floor(entries / REQUESTS);
  let made = 0;
  const append = (startAt: number, count: number) =>
    ctx.stores.db.inTenant(tenant, async () => {
      for (let i = startAt; i < startAt + count; i++) {
        const r = Math.floor(i / every);
        if (i % every !== 0 || r >= REQUESTS) {
          const { context, event } = filler(i);
          await ctx.auditLog.append(tenant, context, event);
          continue;
        }
        const size = SIZES[r % SIZES.length] as number;
        const json = r % 4 === 3;
        const file = {
          id: newId('evd'),
          requestId: newId('apr'),
          size,
          sha256: sha256Of(r, size, json),
          json,
        };
        files.set(file.sha256, { ...file, index: r });
        byRequest.set(file.requestId, file);
        const person = { actor: { type: 'user' as const, id: requester.userId }, request: null };
        await ctx.auditLog.append(tenant, person, {
          action: 'evidence.upload',
          resource: { type: 'evidence', id: file.id },
          change: {
            before: null,
            after: {
              id: file.id,
              requestId: null,
              name: json ? `snapshot-${r}.json` : `access-review-${r}.txt`,
              mediaType: json ? 'application/json' : 'text/plain',
              size,
              sha256: file.sha256,
              uploader: { type: 'user', id: requester.userId },
              uploadedAt: new Date().toISOString(),
            },
          },
        });
        const payloadHash = createHash('sha256')
          .update(canonicalize({ review: r }) ?? '')
          .digest('hex');
        await ctx.auditLog.append(tenant, person, {
          action: 'approval.request',
          resource: { type: 'approval_request', id: file.requestId },
          change: {
            before: null,
            after: {
              kind: 'custom.access_review',
              title: `Access review ${r}`,
              lane: 'yellow',
              requiredApprovals: 1,
              payloadHash,
              reverses: null,
              evidence: [{ id: file.id, sha256: file.sha256 }],
            },
          },
        });
        const decider = deciders[r % deciders.length] as (typeof deciders)[number];
        const statement = {
          requestId: file.requestId,
          decision: 'approve' as const,
          payloadHash,
          evidenceHashes: [file.sha256],
          commentHash: EMPTY_SHA256,
          decidedAt: new Date().toISOString(),
        };
        await ctx.auditLog.append(
          tenant,
          { actor: { type: 'user', id: decider.userId }, request: null },
          {
            action: 'approval.decide',
            resource: { type: 'approval_request', id: file.requestId },
            change: { before: null, after: { statement, publicKey: decider.publicKey, comment: '' } },
            signature: {
              keyId: decider.keyId,
              algorithm: 'Ed25519',
              value: sign(null, decisionStatementBytes(statement), decider.privateKey).toString('base64'),
              payloadHash,
            },
          },
        );
      }
    });
  for (; made < entries; made += 10_000) {
    await append(made, Math.min(10_000, entries - made));
    if ((made + 10_000) % 200_000 === 0) log(`  built ${made + 10_000} entries`);
  }
  await new Promise((resolve) => setTimeout(resolve, 5));
  const to = new Date().toISOString();
  await new Promise((resolve) => setTimeout(resolve, 5));
  return { from, to, files, byRequest };
}

/** The builder's data source on the platform's own audit service, in process (no HTTP: the bench measures verifying). */
export function inProcessSource(
  ctx: PlatformContext,
  tenant: TenantScope,
  fixture: PackageFixture,
): PackageDataSource {
  const text = (entry: unknown) => canonicalize(entry) as string;
  const must = <T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
    if (!result.ok) throw new Error(result.error.message);
    return result.value;
  };
  return {
    async newestBefore(_env, before) {
      const e = (await ctx.audit.page(tenant, { toTs: Date.parse(before) }, undefined, 1)).entries[0];
      return e ? { seq: e.seq, entry: text(e) } : null;
    },
    async entryAt(_env, seq) {
      const e = (await ctx.audit.page(tenant, {}, seq + 1, 1)).entries[0];
      return e?.seq === seq ? text(e) : null;
    },
    async entriesOf(_env, resource) {
      const page = await ctx.audit.page(
        tenant,
        { resourceType: resource.type, resourceId: resource.id },
        undefined,
        10_000,
      );
      return page.entries.map((e) => ({ seq: e.seq, entry: text(e) }));
    },
    async *exportStream(_env, start, end) {
      const exported = must(await ctx.audit.export(tenant, systemContext, { start, end }, new Date()));
      for await (const chunk of exported.chunks) yield Buffer.from(chunk);
    },
    async checkpoint() {
      return (await ctx.audit.checkpoint(tenant)).checkpoint;
    },
    async inclusion(_env, seq, size) {
      return must(await ctx.audit.inclusion(tenant, seq, size)).proof;
    },
    async consistency(_env, from, to) {
      return must(await ctx.audit.consistency(tenant, from, to)).proof;
    },
    async keyAnnouncements() {
      const { announcements } = await ctx.audit.keyAnnouncements(tenant);
      return announcements.map((a) => ({
        seq: a.seq,
        entry: a.entry,
        checkpoint: a.checkpoint.note,
        proof: a.proof,
      }));
    },
    async evidenceOf(_env, requestId) {
      const file = fixture.byRequest.get(requestId);
      return file ? [{ id: file.id, sha256: file.sha256, size: file.size }] : [];
    },
    async evidenceContent(_env, evidenceId) {
      const file = [...fixture.files.values()].find((f) => f.id === evidenceId);
      if (!file) throw new Error(`no evidence ${evidenceId}`);
      return (async function* () {
        yield* evidenceChunks(file.index, file.size, file.json);
      })();
    },
  };
}
