import type { VerificationReport } from '../../../shared/audit/report';

/** What the main process hands the verifier thread. */
export interface VerifyJob {
  readonly path: string;
  readonly keys: readonly string[];
  readonly trusted: readonly string[];
  readonly expectedOrigin: string | null;
}

export type WorkerMessage =
  | { readonly kind: 'progress'; readonly done: number; readonly total: number }
  | { readonly kind: 'done'; readonly report: VerificationReport; readonly sha256: string | null };
