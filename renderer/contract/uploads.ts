import { LAUNCH_HEADER } from '../../shared/contract/bridge';
import { auditCalls } from '../../shared/contract/calls/audit';
import { type CallOutput, ContractReply } from '../../shared/contract/contract';
import { fail, ok, type Result } from '../../shared/result';
import { launchSecret } from './transport';

/** A file the main process holds for the renderer: an id, a name and a size, never a path. */
export type GrantedFile = NonNullable<CallOutput<'files.chooseExport'>['file']>;
const GrantedFileSchema = auditCalls['files.chooseExport'].output.shape.file.unwrap();

export interface UploadOptions {
  /** Bytes sent so far; a large export takes a while even on loopback. */
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
}

export type Uploader = (file: File, options?: UploadOptions) => Promise<Result<GrantedFile>>;

const lost = fail<GrantedFile>('unavailable', 'The file could not be handed to the console; try again.');

/**
 * Hands a file the person picked in the page to the headless host, which keeps it and answers with an
 * id (the Electron shell shows its own open dialog instead: `files.chooseExport`). XMLHttpRequest, not
 * fetch, because only it reports upload progress.
 */
export const upload: Uploader = (file, options = {}) =>
  new Promise((resolve) => {
    const secret = launchSecret();
    const request = new XMLHttpRequest();
    request.open('POST', `/files?name=${encodeURIComponent(file.name)}`);
    request.setRequestHeader('content-type', 'application/octet-stream');
    request.setRequestHeader(LAUNCH_HEADER, secret);
    request.responseType = 'text';
    request.upload.onprogress = (event) => options.onProgress?.(event.loaded, event.total || file.size);
    request.onload = () => resolve(granted(request.responseText));
    request.onerror = () => resolve(lost);
    request.onabort = () => resolve(fail('bad-request', 'The upload was cancelled.'));
    if (options.signal?.aborted) return resolve(fail('bad-request', 'The upload was cancelled.'));
    options.signal?.addEventListener('abort', () => request.abort(), { once: true });
    request.send(file);
  });

/** The host answers every upload with a contract reply; anything else (a proxy's page) is not shown. */
function granted(text: string): Result<GrantedFile> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return lost;
  }
  const reply = ContractReply.safeParse(body);
  if (!reply.success) return lost;
  if (!reply.data.ok) return { ok: false, error: reply.data.error };
  const file = GrantedFileSchema.safeParse(reply.data.value);
  return file.success ? ok(file.data) : lost;
}
