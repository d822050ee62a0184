import { open } from 'node:fs/promises';
import type { EvidenceMeta } from '../../../shared/api/evidence';
import { evidenceApi } from '../../../shared/api/routes';
import type { TenantRef } from '../../../shared/contract/spec';
import { checkEvidence, MAX_EVIDENCE_BYTES } from '../../../shared/evidence/content-type';
import { fail, ok, type Result } from '../../../shared/result';
import type { EventBus } from '../contract/event-bus';
import type { ProfileSessions } from '../profiles/profile-sessions';
import type { Profile } from '../vault/vault';
import type { FileGrants } from './file-grants';

export type UploadOutcome = { outcome: 'uploaded'; evidence: EvidenceMeta } | { outcome: 'cancelled' };

export interface EvidenceUploadInput {
  readonly profile: Profile;
  readonly tenant: TenantRef;
  readonly taskId: string;
  readonly fileId: string;
  readonly requestId?: string;
  readonly periodFrom?: string;
  readonly periodTo?: string;
  readonly expiresOn?: string;
  readonly supersedes?: string;
}

/**
 * Evidence files the person chose, sent to the platform. Each is checked here first by the platform's own
 * rules (shared/evidence/content-type.ts), so a refusal comes at once, with the file's name and the
 * reason, and nothing is sent; then it is uploaded with `progress` events under its task id, and can be
 * cancelled by that id like an export verification.
 */
export class EvidenceUploads {
  readonly #running = new Map<string, AbortController>();

  constructor(
    private readonly files: FileGrants,
    private readonly profiles: ProfileSessions,
    private readonly events: EventBus,
  ) {}

  async upload(input: EvidenceUploadInput): Promise<Result<UploadOutcome>> {
    if (this.#running.has(input.taskId)) return fail('conflict', 'An upload with this task id is running.');
    const grant = this.files.get(input.fileId);
    if (!grant) return fail('not-found', 'The file is no longer available; choose it again.');
    const abort = new AbortController();
    this.#running.set(input.taskId, abort);
    try {
      const bytes = await readAtMost(grant.path, MAX_EVIDENCE_BYTES);
      if (!bytes.ok) return bytes;
      const refused = refusal(grant.name, bytes.value);
      if (refused) return refused;
      const client = await this.profiles.client(input.profile);
      if (!client.ok) return client;
      if (abort.signal.aborted) return ok({ outcome: 'cancelled' });
      const sent = await client.value.call(
        evidenceApi.upload,
        {
          params: { org: input.tenant.organization, env: input.tenant.environment },
          query: {
            name: grant.name,
            requestId: input.requestId,
            periodFrom: input.periodFrom,
            periodTo: input.periodTo,
            expiresOn: input.expiresOn,
            supersedes: input.supersedes,
          },
          body: bytes.value,
        },
        {
          signal: abort.signal,
          onUploadProgress: (done, total) =>
            this.events.emit('progress', { task: input.taskId, done, total }),
        },
      );
      if (!sent.ok) return abort.signal.aborted ? ok({ outcome: 'cancelled' }) : sent;
      // An upload the console made itself (headless host) is a temporary file: it goes once delivered.
      await this.files.release(input.fileId);
      return ok({ outcome: 'uploaded', evidence: sent.value });
    } finally {
      this.#running.delete(input.taskId);
    }
  }

  cancel(taskId: string): boolean {
    const upload = this.#running.get(taskId);
    upload?.abort();
    return upload !== undefined;
  }
}

/** Why the platform would refuse this file, said with its name; undefined when it would take it. */
function refusal(name: string, bytes: Uint8Array): Result<never> | undefined {
  const checked = checkEvidence(bytes);
  if (checked.ok) return undefined;
  switch (checked.error.code) {
    case 'payload-too-large':
      return fail('payload-too-large', `"${name}" is larger than 10 MiB, the most an evidence file may be.`);
    case 'unsupported-media-type':
      return fail(
        'unsupported-media-type',
        `"${name}" is not a kind of file evidence may be: images (PNG, JPEG, GIF, WebP), PDF, JSON and plain text are taken, judged from the file's content. HTML, SVG and other files are refused.`,
      );
    default:
      return fail('bad-request', `"${name}" is empty.`);
  }
}

/** The file's bytes, reading one past the limit so that a larger file is known without reading it all. */
async function readAtMost(path: string, limit: number): Promise<Result<Buffer>> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, 'r');
    const buffer = Buffer.alloc(limit + 1);
    let size = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, size, buffer.length - size, size);
      if (bytesRead === 0) break;
      size += bytesRead;
      if (size === buffer.length) break;
    }
    return ok(buffer.subarray(0, size));
  } catch {
    return fail('not-found', 'The file cannot be read; choose it again.');
  } finally {
    await handle?.close();
  }
}
