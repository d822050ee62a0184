import type { EvidenceRecord } from '../../../shared/api/evidence';
import { evidenceApi } from '../../../shared/api/routes';
import type { CallOutput } from '../../../shared/contract/contract';
import type { TenantRef } from '../../../shared/contract/spec';
import { MAX_EVIDENCE_BYTES } from '../../../shared/evidence/content-type';
import { fail, ok, type Result } from '../../../shared/result';
import { wipe } from '../cache/envelope';
import type { CacheTenant, EvidenceCache } from '../cache/evidence-cache';
import type { EventBus } from '../contract/event-bus';
import { tenantParams } from '../contract/handlers/services';
import type { ProfileSessions } from '../profiles/profile-sessions';
import type { Profile } from '../vault/vault';

export type OpenOutcome = CallOutput<'evidence.open'>;

export interface OpenInput {
  readonly profile: Profile;
  readonly tenant: TenantRef;
  readonly evidenceId: string;
  readonly taskId?: string;
}

export function cacheTenant(profile: Profile, tenant: TenantRef): CacheTenant {
  return { profile, organization: tenant.organization, environment: tenant.environment };
}

/**
 * Opening evidence: from the encrypted cache when it holds the file, else downloaded from the platform.
 * A download reports `progress` under its task id and can be cancelled by it; the bytes are kept in memory
 * until all have arrived and hash to the published SHA-256, and only then sealed into the cache, so a
 * cancelled or failed download leaves nothing on disk.
 */
export class EvidenceDownloads {
  readonly #running = new Map<string, AbortController>();

  constructor(
    private readonly cache: EvidenceCache,
    private readonly profiles: ProfileSessions,
    private readonly events: EventBus,
  ) {}

  async open(input: OpenInput): Promise<Result<OpenOutcome>> {
    const scope = cacheTenant(input.profile, input.tenant);
    const cached = await this.cache.get(scope, input.evidenceId);
    if (cached.ok) {
      const { bytes, ...evidence } = cached.value;
      const content = bytes.toString('base64');
      wipe(bytes);
      return ok({ outcome: 'opened', evidence, content, source: 'cache' });
    }
    // A cached copy that failed its check was discarded and is reported; a miss goes to the platform.
    if (cached.error.code !== 'not-found') return cached;
    if (input.taskId && this.#running.has(input.taskId))
      return fail('conflict', 'A download with this task id is running.');
    const abort = new AbortController();
    if (input.taskId) this.#running.set(input.taskId, abort);
    try {
      return await this.#download(input, abort.signal);
    } finally {
      if (input.taskId) this.#running.delete(input.taskId);
    }
  }

  cancel(taskId: string): boolean {
    const download = this.#running.get(taskId);
    download?.abort();
    return download !== undefined;
  }

  async #download(input: OpenInput, signal: AbortSignal): Promise<Result<OpenOutcome>> {
    const client = await this.profiles.client(input.profile);
    if (!client.ok) return client;
    const params = { ...tenantParams(input.tenant), evidenceId: input.evidenceId };
    const meta: Result<EvidenceRecord> = await client.value.call(evidenceApi.get, { params });
    if (!meta.ok) return meta;
    if (signal.aborted) return ok({ outcome: 'cancelled' });
    const url = await client.value.call(evidenceApi.url, { params });
    if (!url.ok) return url;
    const task = input.taskId;
    const bytes = await client.value.download(evidenceApi.content, url.value.url, MAX_EVIDENCE_BYTES, {
      signal,
      expectedBytes: meta.value.size,
      onProgress: task ? (done, total) => this.events.emit('progress', { task, done, total }) : undefined,
    });
    if (!bytes.ok) return signal.aborted ? ok({ outcome: 'cancelled' }) : bytes;
    // The plaintext is wiped however this ends: opened, cancelled, or refused by the cache.
    try {
      if (signal.aborted) return ok({ outcome: 'cancelled' });
      // The cache refuses bytes that do not hash to the published SHA-256: nothing unchecked is kept.
      const put = await this.cache.put(cacheTenant(input.profile, input.tenant), {
        snapshotId: meta.value.id,
        name: meta.value.name,
        mediaType: meta.value.mediaType,
        sha256: meta.value.sha256,
        requestId: meta.value.requestId,
        bytes: bytes.value,
      });
      if (!put.ok) return put;
      const content = bytes.value.toString('base64');
      return ok({ outcome: 'opened', evidence: put.value, content, source: 'platform' });
    } finally {
      wipe(bytes.value);
    }
  }
}
