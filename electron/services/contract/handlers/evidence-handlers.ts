import { evidenceApi } from '../../../../shared/api/routes';
import type { evidenceCalls } from '../../../../shared/contract/calls/evidence';
import type { TenantRef } from '../../../../shared/contract/spec';
import { fail, ok, type Result } from '../../../../shared/result';
import { cacheTenant } from '../../files/evidence-download';
import type { Profile } from '../../vault/vault';
import type { HandlersOf } from '../dispatcher';
import { type HandlerServices, tenantParams } from './services';

export function evidenceHandlers(services: HandlerServices): HandlersOf<typeof evidenceCalls> {
  const { profiles, cache, events, files, evidenceUploads, evidenceDownloads } = services;
  /** The ids of the files this computer holds for the tenant (metadata only; nothing is decrypted). */
  const heldIds = (profile: Profile, tenant: TenantRef): Result<Set<string>> => {
    const listed = cache.list(cacheTenant(profile, tenant), { limit: 1000 });
    return listed.ok ? ok(new Set(listed.value.map((e) => e.snapshotId))) : listed;
  };

  const rotations = new Map<string, AbortController>();
  return {
    'evidence.open': async (input) => evidenceDownloads.open(input),
    'evidence.cancelOpen': async ({ taskId }) => ok({ cancelled: evidenceDownloads.cancel(taskId) }),
    'evidence.catalog': async ({ profile, tenant, filter, limit }) => {
      const client = await profiles.client(profile);
      if (!client.ok) return client;
      const page = await client.value.call(evidenceApi.catalog, {
        params: tenantParams(tenant),
        query: { ...filter, limit },
      });
      if (!page.ok) return page;
      const held = heldIds(profile, tenant);
      if (!held.ok) return held;
      return ok({
        ...page.value,
        evidence: page.value.evidence.map((e) => ({ ...e, cached: held.value.has(e.id) })),
      });
    },
    'evidence.get': async ({ profile, tenant, evidenceId }) => {
      const client = await profiles.client(profile);
      if (!client.ok) return client;
      const record = await client.value.call(evidenceApi.get, {
        params: { ...tenantParams(tenant), evidenceId },
      });
      if (!record.ok) return record;
      const held = heldIds(profile, tenant);
      return held.ok ? ok({ ...record.value, cached: held.value.has(evidenceId) }) : held;
    },
    'evidence.coverage': async ({ profile, tenant }) => {
      const client = await profiles.client(profile);
      if (!client.ok) return client;
      return client.value.call(evidenceApi.coverage, { params: tenantParams(tenant) });
    },
    'files.chooseEvidence': async () => {
      if (!services.chooseFile)
        return fail(
          'bad-request',
          'This console takes the file through its page; use the file picker there.',
        );
      const path = await services.chooseFile('evidence');
      if (!path) return ok({ file: null });
      const granted = await files.grantPath(path);
      return granted.ok ? ok({ file: granted.value }) : granted;
    },
    'evidence.upload': async (input) => {
      const uploaded = await evidenceUploads.upload(input);
      // Added to an existing request, the file changes what every window shows of it.
      if (uploaded.ok && uploaded.value.outcome === 'uploaded' && input.requestId)
        events.emit('approvals.changed', {
          profile: input.profile,
          tenant: input.tenant,
          requestId: input.requestId,
        });
      return uploaded;
    },
    'evidence.cancelUpload': async ({ taskId }) => ok({ cancelled: evidenceUploads.cancel(taskId) }),
    'evidence.listCached': async ({ profile, tenant, query }) => {
      const listed = cache.list(cacheTenant(profile, tenant), { query });
      return listed.ok ? ok({ evidence: listed.value }) : listed;
    },
    'evidence.list': async ({ profile, tenant, requestId }) => {
      const client = await profiles.client(profile);
      if (!client.ok) return client;
      return client.value.call(evidenceApi.list, { params: tenantParams(tenant), query: { requestId } });
    },
    'cache.status': async () => cache.stats(),
    'cache.setQuota': async ({ quotaBytes }) => cache.setQuota(quotaBytes),
    'cache.clear': async () => {
      const cleared = cache.clear();
      return cleared.ok ? cache.stats() : cleared;
    },
    'cache.rotateMasterKey': async ({ profile, taskId }) => {
      const abort = new AbortController();
      rotations.set(taskId, abort);
      try {
        const rotated = await cache.rotateMasterKey(profile, {
          onProgress: (done, total) => events.emit('progress', { task: taskId, done, total }),
          signal: abort.signal,
        });
        return rotated.ok ? ok({ rewrapped: rotated.value.rewrapped }) : rotated;
      } finally {
        rotations.delete(taskId);
      }
    },
    'cache.cancelRotation': async ({ taskId }) => {
      const rotation = rotations.get(taskId);
      rotation?.abort();
      return ok({ cancelled: rotation !== undefined });
    },
  };
}
