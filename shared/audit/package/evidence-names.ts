import type { FindingList } from '../findings';
import type { AnyFindingClass } from '../report';
import { evidencePath } from './format';

/** How often one request's naming of one file is remembered: the first entry is what a finding points to. */
const MAX_REQUESTS_PER_FILE = 1000;

/**
 * Which requests the log ties each evidence hash to, and at which entry first: the attachment at raise
 * (approval.request), an upload to the request (evidence.upload), and every decision statement; and the
 * files of a closed access-review campaign's pack (review.close), under the campaign's id in place of a
 * request's. Once the files are hashed, each named hash is held to the file that carries its name.
 */
export class EvidenceNames {
  /** hash → request → first seq that named it. */
  readonly #names = new Map<string, Map<string, number>>();
  readonly #deleted = new Map<string, number>();

  name(sha256: string, requestId: string, seq: number): void {
    let byRequest = this.#names.get(sha256);
    if (!byRequest) {
      byRequest = new Map();
      this.#names.set(sha256, byRequest);
    }
    if (!byRequest.has(requestId) && byRequest.size < MAX_REQUESTS_PER_FILE) byRequest.set(requestId, seq);
  }

  deleted(sha256: string, seq: number): void {
    if (!this.#deleted.has(sha256)) this.#deleted.set(sha256, seq);
  }

  has(sha256: string): boolean {
    return this.#names.has(sha256);
  }

  /** Requests that name the hash, for a sampled request's list of files. */
  hashesOf(requestId: string): string[] {
    return [...this.#names.entries()].filter(([, r]) => r.has(requestId)).map(([hash]) => hash);
  }

  /**
   * Holds every named hash to its file: `actual` gives the SHA-256 the file's bytes have, or undefined when
   * the package has no such file. One finding per request and file, at the first entry that named it.
   */
  check(actual: (path: string) => string | undefined, findings: FindingList<AnyFindingClass>): void {
    for (const [hash, byRequest] of this.#names) {
      const path = evidencePath(hash);
      const got = actual(path);
      if (got === hash) continue;
      const deleted = this.#deleted.get(hash);
      for (const [request, seq] of byRequest) {
        findings.add(
          got === undefined
            ? {
                class: 'evidence-missing',
                request,
                seq,
                path,
                message:
                  deleted === undefined
                    ? `the package has no file with SHA-256 ${hash}`
                    : `the file with SHA-256 ${hash} was deleted at seq ${deleted} and is not in the package`,
              }
            : {
                class: 'evidence-modified',
                request,
                seq,
                path,
                message: `the file named ${hash} hashes to ${got}`,
              },
        );
      }
    }
  }
}
