import { decisionStatementBytes } from '../../approvals/decision-statement';
import { type RoleName, roleAllows } from '../../domain/permissions';
import type { FindingList } from '../findings';
import { type AuditCrypto, fromBase64, toHex } from '../hash';
import { parseVerifierKey, type VerifierKey } from '../note';
import type { AnyFindingClass } from '../report';
import {
  BreakGlassEntry,
  DecisionEntry,
  DeviceKeyEntry,
  EvidenceDeleteEntry,
  EvidenceUploadEntry,
  MemberEntry,
  parseLine,
  RequestEntry,
  ReviewCloseEntry,
  type Statement,
} from './entries';
import { EvidenceNames } from './evidence-names';

/** What precedes an operator's statement under the audit key's signature (platform/audit/signing-keys.ts). */
export const OPERATOR_STATEMENT_PREFIX = 'cc-operator-statement/1\n';

const encoder = new TextEncoder();
const MEMBER_ACTION = encoder.encode('{"action":"member.');
const DEVICE_ACTION = encoder.encode('{"action":"device_key.');
const hasUserResource = containsBytes(encoder.encode('"type":"user"},"seq":'));
const hasDeviceResource = containsBytes(encoder.encode('"type":"device_key"},"seq":'));

function startsWith(line: Uint8Array, prefix: Uint8Array): boolean {
  if (line.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (line[i] !== prefix[i]) return false;
  return true;
}

/**
 * A search for `pattern` anywhere in a line (Boyer-Moore-Horspool): it runs on every membership and
 * device entry of the log (hundreds of thousands), and mostly steps a pattern's length at a time, where a
 * view and a native search cost about a microsecond a line.
 */
export function containsBytes(pattern: Uint8Array): (line: Uint8Array) => boolean {
  const m = pattern.length;
  const skip = new Int32Array(256).fill(m);
  for (let i = 0; i < m - 1; i++) skip[pattern[i] as number] = m - 1 - i;
  const last = pattern[m - 1] as number;
  return (line) => {
    for (let at = m - 1; at < line.length; at += skip[line[at] as number] as number) {
      if (line[at] !== last) continue;
      let i = m - 2;
      while (i >= 0 && line[at - m + 1 + i] === pattern[i]) i--;
      if (i < 0) return true;
    }
    return false;
  };
}

/** One decision as the report shows it for a sampled request. */
export interface DecisionSummary {
  readonly seq: number;
  readonly decision: 'approve' | 'reject' | 'unreadable';
  readonly decider: string;
  readonly deviceKey: string;
}

/** What the checker tells whoever keeps per-request records (the sampler). */
export interface RequestObserver {
  request(requestId: string, seq: number, kind: string): void;
  decision(requestId: string, summary: DecisionSummary): void;
}

interface DeviceKeyState {
  owner: string;
  publicKey: string;
  revokedAt?: number;
}

interface MemberEvent {
  readonly seq: number;
  readonly ts: string;
  readonly role: RoleName | null;
}

/**
 * The checks of the period's decisions, fed entries in log order: device-key registrations and
 * revocations and membership changes (from proven references first, then from the export as it is
 * walked), requests and evidence, and each decision as it comes. A decision is judged against the state
 * the log had just before it, so memory is the period's devices, members and requests, not its entries.
 */
export class DecisionChecker {
  readonly #keys = new Map<string, DeviceKeyState>();
  readonly #members = new Map<string, MemberEvent[]>();
  /** Requests raised in the period: what they were raised with, to hold each decision to it. */
  readonly #requests = new Map<string, { payloadHash: string; evidence: string[] }>();
  readonly evidence = new EvidenceNames();
  decisions = 0;

  constructor(
    private readonly crypto: AuditCrypto,
    private readonly findings: FindingList<AnyFindingClass>,
    /** Checkpoint keys (pinned and proven announced): a break-glass co-signature is made with one. */
    private readonly auditKeys: readonly VerifierKey[],
    /** True when the package's own log is the organization's live log, where membership is recorded. */
    private readonly ownLogIsLive: boolean,
    private readonly observer?: RequestObserver,
  ) {}

  /** An entry of the package's own log before the period, proven by its inclusion proof. */
  ownReference(text: string): void {
    const value = parseLine(text);
    const device = DeviceKeyEntry.safeParse(value);
    if (device.success) this.#device(device.data);
    const member = MemberEntry.safeParse(value);
    if (member.success && this.ownLogIsLive) this.#member(member.data);
  }

  /** An entry of the organization's live log, for a test-environment package: membership only. */
  liveReference(text: string): void {
    const member = MemberEntry.safeParse(parseLine(text));
    if (member.success) this.#member(member.data);
  }

  /** An entry of the export, in file order. */
  visit(walkSeq: number, line: Uint8Array): void {
    // Membership and device entries are only read when they are about a person or a device key: a log may
    // hold many entries with these actions about other things, and parsing each would cost the walk.
    if (startsWith(line, MEMBER_ACTION) && (!this.ownLogIsLive || !hasUserResource(line))) return;
    if (startsWith(line, DEVICE_ACTION) && !hasDeviceResource(line)) return;
    const value = parseLine(line);
    // The walk's seq is NaN for a line it could not read; the line's own then names it, if it has one.
    const own = (value as { seq?: unknown } | undefined)?.seq;
    const seq = Number.isFinite(walkSeq) ? walkSeq : typeof own === 'number' ? own : -1;
    switch (value?.action) {
      case 'approval.decide':
        this.#decide(seq, value);
        return;
      case 'approval.break_glass':
        this.#breakGlass(seq, value);
        return;
      case 'approval.request':
        this.#request(seq, value);
        return;
      case 'evidence.upload': {
        const upload = EvidenceUploadEntry.safeParse(value);
        if (upload.success && upload.data.change.after.requestId) {
          const { requestId, sha256 } = upload.data.change.after;
          this.evidence.name(sha256, requestId, seq);
          this.#requests.get(requestId)?.evidence.push(sha256);
        }
        return;
      }
      case 'review.close': {
        // A campaign's pack is evidence like a request's: held to its files under the campaign's id.
        const closed = ReviewCloseEntry.safeParse(value);
        if (closed.success)
          for (const file of closed.data.change.after.pack)
            this.evidence.name(file.sha256, closed.data.resource.id, seq);
        return;
      }
      case 'evidence.delete': {
        const deleted = EvidenceDeleteEntry.safeParse(value);
        if (deleted.success) this.evidence.deleted(deleted.data.change.before.sha256, seq);
        return;
      }
      default: {
        const device = DeviceKeyEntry.safeParse(value);
        const member = device.success ? undefined : MemberEntry.safeParse(value);
        if (device.success) this.#device(device.data);
        else if (member?.success && this.ownLogIsLive) this.#member(member.data);
      }
    }
  }

  #device(e: DeviceKeyEntry): void {
    const id = e.resource.id;
    if (e.action === 'device_key.register' && e.change.after.publicKey) {
      // The first registration of an id stands: a second one under the same id proves nothing new.
      if (!this.#keys.has(id))
        this.#keys.set(id, { owner: e.change.after.owner, publicKey: e.change.after.publicKey });
    } else if (e.action === 'device_key.revoke') {
      const key = this.#keys.get(id);
      if (key && key.revokedAt === undefined) key.revokedAt = e.seq;
      // A revocation before any registration this package knows still counts against the id.
      if (!key) this.#keys.set(id, { owner: e.change.after.owner, publicKey: '', revokedAt: e.seq });
    }
  }

  #member(e: MemberEntry): void {
    const events = this.#members.get(e.resource.id) ?? [];
    events.push({ seq: e.seq, ts: e.ts, role: e.change.after?.role ?? null });
    events.sort((a, b) => a.seq - b.seq);
    this.#members.set(e.resource.id, events);
  }

  /** The person's role just before the decision: by seq in the live log itself, by time across logs. */
  #roleAt(userId: string, seq: number, ts: string): RoleName | null {
    let role: RoleName | null = null;
    for (const event of this.#members.get(userId) ?? []) {
      if (this.ownLogIsLive ? event.seq < seq : Date.parse(event.ts) <= Date.parse(ts)) role = event.role;
    }
    return role;
  }

  #request(seq: number, value: unknown): void {
    const parsed = RequestEntry.safeParse(value);
    if (!parsed.success) return;
    const id = parsed.data.resource.id;
    const attached = (parsed.data.change.after.evidence ?? []).map((e) => e.sha256);
    this.#requests.set(id, { payloadHash: parsed.data.change.after.payloadHash, evidence: attached });
    for (const hash of attached) this.evidence.name(hash, id, seq);
    this.observer?.request(id, seq, parsed.data.change.after.kind);
  }

  /** Checks common to both kinds of decision: what the statement says against what the log says. */
  #statement(seq: number, requestId: string, statement: Statement, commentHash: string): void {
    const bad = (message: string) =>
      this.findings.add({ class: 'decision-signature-bad', request: requestId, seq, message });
    if (statement.requestId !== requestId) bad(`the signed statement names request ${statement.requestId}`);
    if (statement.commentHash !== commentHash) bad('the signed statement names another comment');
    const raised = this.#requests.get(requestId);
    if (raised && raised.payloadHash !== statement.payloadHash)
      bad('the signed statement names another payload than the request was raised with');
    for (const hash of new Set(statement.evidenceHashes)) this.evidence.name(hash, requestId, seq);
    if (raised && [...raised.evidence].sort().join() !== [...statement.evidenceHashes].sort().join()) {
      this.findings.add({
        class: 'evidence-modified',
        request: requestId,
        seq,
        message: 'the decision was signed over other evidence than the log attaches to the request',
      });
    }
  }

  #sha256Hex(text: string): string {
    return toHex(this.crypto.sha256(encoder.encode(text)));
  }

  #decide(seq: number, value: unknown): void {
    this.decisions++;
    const parsed = DecisionEntry.safeParse(value);
    const requestId = requestOf(value);
    if (!parsed.success) {
      this.findings.add({
        class: 'decision-signature-bad',
        request: requestId,
        seq,
        message: 'the decision entry carries no well-formed signed statement',
      });
      this.observer?.decision(requestId, { seq, decision: 'unreadable', decider: '', deviceKey: '' });
      return;
    }
    const e = parsed.data;
    const after = e.change.after;
    this.observer?.decision(requestId, {
      seq,
      decision: after.statement.decision,
      decider: e.actor.id,
      deviceKey: e.signature.keyId,
    });
    this.#statement(seq, requestId, after.statement, this.#sha256Hex(after.comment));
    const add = (cls: AnyFindingClass, message: string) =>
      this.findings.add({ class: cls, request: requestId, seq, message });
    if (e.signature.payloadHash !== after.statement.payloadHash)
      add('decision-signature-bad', "the entry's payload hash differs from the signed statement's");
    const key = this.#keys.get(e.signature.keyId);
    let publicKey = after.publicKey;
    if (!key?.publicKey) {
      add('device-key-unknown', `device key ${e.signature.keyId} has no registration in this package`);
    } else if (key.owner !== e.actor.id) {
      add(
        'device-key-unknown',
        `device key ${e.signature.keyId} is registered to ${key.owner}, not the decider`,
      );
    } else {
      if (key.publicKey !== after.publicKey)
        add(
          'device-key-unknown',
          `the entry names another public key than ${e.signature.keyId}'s registration`,
        );
      publicKey = key.publicKey;
    }
    if (key?.revokedAt !== undefined && key.revokedAt < seq)
      add('device-key-revoked', `device key ${e.signature.keyId} was revoked at seq ${key.revokedAt}`);
    const raw = fromBase64(publicKey);
    const signature = fromBase64(e.signature.value);
    const message = decisionStatementBytes(after.statement);
    if (!raw || !signature || !this.crypto.verifyEd25519(raw, message, signature))
      add('decision-signature-bad', 'the device signature does not verify over the statement');
    const role = e.actor.type === 'user' ? this.#roleAt(e.actor.id, seq, e.ts) : null;
    if (!role || !roleAllows(role, 'approvals:decide')) {
      add(
        'decider-not-authorized',
        role
          ? `${e.actor.id} was ${role}, a role that may not decide, at the time`
          : `${e.actor.id} was not a member of the organization at the time`,
      );
    }
  }

  #breakGlass(seq: number, value: unknown): void {
    this.decisions++;
    const parsed = BreakGlassEntry.safeParse(value);
    const requestId = requestOf(value);
    if (!parsed.success) {
      this.findings.add({
        class: 'decision-signature-bad',
        request: requestId,
        seq,
        message: 'the break-glass entry carries no well-formed signed statement',
      });
      return;
    }
    const after = parsed.data.change.after;
    this.observer?.decision(requestId, {
      seq,
      decision: after.statement.decision,
      decider: 'platform-operator',
      deviceKey: 'audit-key',
    });
    this.#statement(seq, requestId, after.statement, this.#sha256Hex(after.reason));
    const named = parseVerifierKey(this.crypto, after.verifierKey);
    const key = named && this.auditKeys.find((k) => k.keyId === named.keyId && k.name === named.name);
    if (!key) {
      this.findings.add({
        class: 'device-key-unknown',
        request: requestId,
        seq,
        message: 'the operator co-signature names an audit key this verifier does not trust',
      });
      return;
    }
    const statement = decisionStatementBytes(after.statement);
    const prefix = encoder.encode(OPERATOR_STATEMENT_PREFIX);
    const message = new Uint8Array(prefix.length + statement.length);
    message.set(prefix, 0);
    message.set(statement, prefix.length);
    const signature = fromBase64(after.signature);
    if (!signature || !this.crypto.verifyEd25519(key.publicKey, message, signature)) {
      this.findings.add({
        class: 'decision-signature-bad',
        request: requestId,
        seq,
        message: 'the operator co-signature does not verify under the audit key',
      });
    }
  }
}

function requestOf(value: unknown): string {
  const resource = (value as { resource?: { id?: unknown } } | undefined)?.resource;
  return typeof resource?.id === 'string' ? resource.id.slice(0, 100) : 'unknown';
}
