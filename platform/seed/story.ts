import type { RoleName } from '../../shared/domain/permissions';

/**
 * The vocabulary the demo's history is written in. A story is one approval request and what people did
 * with it; a happening is anything else that leaves a trace (a new laptop, an audit export). Times are
 * days before the end of the history, and a story's steps are hours after it was raised.
 */

/**
 * A demo person by role, or an integration acting through an API key the history created (by the name the
 * key's story gave it); `integration` is the ERP connector, the integration most stories are about.
 */
export type Actor = RoleName | 'integration' | { readonly key: string };

/** A file made when the seed runs; `at` is the story's time, so dates inside it agree with the record. */
export interface EvidenceFile {
  readonly name: string;
  make(at: Date): Buffer;
}

/** Ids that exist only once earlier parts of the history have happened. */
export interface Refs {
  user(role: RoleName): string;
  /** The current id of an API key the history created (after a rotation, its successor's). */
  keyId(name: string): string;
  evidenceId(name: string): string;
  /** The device key a person who decides signs with now. */
  deviceKeyId(role: RoleName): string;
}

export interface StoryContext {
  readonly at: Date;
  readonly refs: Refs;
}

export type Act =
  | { readonly comment: string; readonly by: RoleName }
  | { readonly approve: RoleName; readonly note?: string; readonly mistypesCode?: true }
  | { readonly reject: RoleName; readonly reason: string }
  | { readonly withdraw: RoleName }
  | { readonly attach: EvidenceFile; readonly by: Actor };

export type Step = Act & { readonly after: number };

export interface Story {
  readonly daysAgo: number;
  readonly by: Actor;
  readonly kind: string;
  readonly title: string;
  readonly summary: string;
  readonly payload: Record<string, unknown> | ((c: StoryContext) => Record<string, unknown>);
  /** A name other stories use to reverse this one. */
  readonly name?: string;
  readonly reverses?: string;
  /** For api_key.create and api_key.rotate: the name the resulting key is known by from then on. */
  readonly key?: string;
  /** Attached by the requester right after raising it. */
  readonly evidence?: readonly EvidenceFile[];
  readonly steps?: readonly Step[];
}

/** A file put in the evidence library (not attached to a request), known to later stories by `name`. */
export interface LibraryUpload {
  readonly upload: EvidenceFile;
  readonly by: Actor;
  readonly name?: string;
}

export type Happening = { readonly daysAgo: number } & (
  | { readonly newDevice: RoleName; readonly device: string }
  | LibraryUpload
  /** An export of what is new since this actor's previous export (the whole log the first time). */
  | { readonly exportAudit: Actor }
  | { readonly verifyAudit: RoleName }
  | { readonly sampleEvidence: RoleName; readonly count: number }
);

export interface TenantScript {
  readonly stories: readonly Story[];
  readonly happenings: readonly Happening[];
}
