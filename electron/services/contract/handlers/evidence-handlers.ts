import { evidenceApi } from '../../../../shared/api/routes';
import type { evidenceCalls } from '../../../../shared/contract/calls/evidence';
import { MAX_EVIDENCE_BYTES } from '../../../../shared/evidence/content-type';
import { fail, ok } from '../../../../shared/result';
import type { HandlersOf } from '../dispatcher';
import { type HandlerServices, tenantParams } from './services';

export function evidenceHandlers(services: HandlerServices): HandlersOf<typeof evidenceCalls> {
  const { profiles, cache, events, files, evidenceUploads } = services;
  const cacheTenant = (
    profile: { platformOrigin: string; principalId: string },
    tenant: { organization: string; environment: 'test' | 'live' },
  ) => ({
    profile,
    organization: tenant.organization,
    environment: tenant.environment,
  });

  const rotations = new Map<string, AbortController>();
  return {
    'evidence.open': async ({ profile, tenant, evidenceId, requestId }) => {
      const scope = cacheTenant(profile, tenant);
      const cached = await cache.get(scope, evidenceId);
      if (cached.ok) {
        const { bytes, ...evidence } = cached.value;
        return ok({ evidence, content: bytes.toString('base64'), source: 'cache' as const });
      }
      // A cached copy that failed its check was discarded and is reported; a miss goes to the platform.
      if (cached.error.code !== 'not-found') return cached;
      const client = await profiles.client(profile);
      if (!client.ok) return client;
      const listed = await client.value.call(evidenceApi.list, {
        params: tenantParams(tenant),
        query: { requestId },
      });
      if (!listed.ok) return listed;
      const meta = listed.value.evidence.find((e) => e.id === evidenceId);
      if (!meta) return fail('not-found', 'No such evidence in this tenant.');
      const url = await client.value.call(evidenceApi.url, {
        params: { ...tenantParams(tenant), evidenceId },
      });
      if (!url.ok) return url;
      const bytes = await client.value.download(evidenceApi.content, url.value.url, MAX_EVIDENCE_BYTES);
      if (!bytes.ok) return bytes;
      // The cache refuses bytes that do not hash to the published SHA-256: nothing unchecked is kept.
      const put = await cache.put(scope, {
        snapshotId: meta.id,
        name: meta.name,
        mediaType: meta.mediaType,
        sha256: meta.sha256,
        requestId: meta.requestId,
        bytes: bytes.value,
      });
      if (!put.ok) return put;
      return ok({
        evidence: put.value,
        content: bytes.value.toString('base64'),
        source: 'platform' as const,
        offline: false,
      });
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
