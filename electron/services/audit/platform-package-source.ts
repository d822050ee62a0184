import canonicalize from 'canonicalize';
import { auditApi, evidenceApi } from '../../../shared/api/routes';
import type { AuditEntry } from '../../../shared/audit/format';
import { PackageBuildError, type PackageDataSource } from '../../../shared/audit/package/builder';
import type { Environment } from '../../../shared/domain/environments';
import { MAX_EVIDENCE_BYTES } from '../../../shared/evidence/content-type';
import type { Result } from '../../../shared/result';
import type { PlatformClient } from '../platform/platform-client';

const buildCodes = new Set(['bad-request', 'not-found', 'forbidden', 'unauthenticated', 'unavailable']);

function value<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  const code = buildCodes.has(result.error.code) ? result.error.code : 'internal';
  throw new PackageBuildError(code as PackageBuildError['code'], result.error.message);
}

/** The entry's exact bytes: the platform serves entries parsed, and their canonical form is what was hashed. */
function bytesOf(entry: AuditEntry): string {
  const text = canonicalize(entry);
  if (text === undefined) throw new PackageBuildError('internal', 'An audit entry is not serializable.');
  return text;
}

const PAGE = 500;

/**
 * The package builder's view of a platform through its public API (the declared routes), for one
 * organization, as one signed-in person or API key: what an auditor's role may read is all it needs.
 */
export function platformPackageSource(
  client: PlatformClient,
  organization: string,
  signal?: AbortSignal,
): PackageDataSource {
  const params = (env: Environment) => ({ org: organization, env });
  return {
    async newestBefore(env, before) {
      const page = value(
        await client.call(auditApi.entries, { params: params(env), query: { to: before, limit: 1 } }),
      );
      const entry = page.entries[0];
      return entry ? { seq: entry.seq, entry: bytesOf(entry) } : null;
    },
    async entryAt(env, seq) {
      const page = value(
        await client.call(auditApi.entries, { params: params(env), query: { before: seq + 1, limit: 1 } }),
      );
      const entry = page.entries[0];
      return entry?.seq === seq ? bytesOf(entry) : null;
    },
    async entriesOf(env, resource) {
      const found: { seq: number; entry: string }[] = [];
      let before: number | undefined;
      for (;;) {
        const page = value(
          await client.call(auditApi.entries, {
            params: params(env),
            query: { resourceType: resource.type, resourceId: resource.id, limit: PAGE, before },
          }),
        );
        for (const entry of page.entries) found.push({ seq: entry.seq, entry: bytesOf(entry) });
        if (page.nextBefore === null) return found;
        before = page.nextBefore;
      }
    },
    async *exportStream(env, start, end) {
      yield* value(
        await client.stream(auditApi.export, { params: params(env), query: { start, end } }, { signal }),
      );
    },
    async checkpoint(env) {
      return value(await client.call(auditApi.checkpoint, { params: params(env) })).checkpoint;
    },
    async inclusion(env, seq, size) {
      return value(await client.call(auditApi.inclusion, { params: params(env), query: { seq, size } }))
        .proof;
    },
    async consistency(env, from, to) {
      return value(await client.call(auditApi.consistency, { params: params(env), query: { from, to } }))
        .proof;
    },
    async keyAnnouncements(env) {
      const reply = value(await client.call(auditApi.keyAnnouncements, { params: params(env) }));
      return reply.announcements.map((a) => ({
        seq: a.seq,
        entry: a.entry,
        checkpoint: a.checkpoint.note,
        proof: a.proof,
      }));
    },
    async evidenceOf(env, requestId) {
      const reply = value(await client.call(evidenceApi.list, { params: params(env), query: { requestId } }));
      return reply.evidence.map((e) => ({ id: e.id, sha256: e.sha256, size: e.size }));
    },
    async evidenceContent(env, evidenceId) {
      const url = value(await client.call(evidenceApi.url, { params: { ...params(env), evidenceId } }));
      return value(await client.downloadStream(evidenceApi.content, url.url, MAX_EVIDENCE_BYTES, { signal }));
    },
  };
}
