import { generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  type ApprovalRequest,
  CommentRequest,
  CreateApprovalRequest,
  DecideRequest,
  RegisterDeviceKey,
} from '../../shared/api/approvals';
import { UploadEvidenceQuery } from '../../shared/api/evidence';
import { decisionStatementBytes } from '../../shared/approvals/decision-statement';
import { type Environment, environments } from '../../shared/domain/environments';
import { type Permission, type RoleName, roleAllows } from '../../shared/domain/permissions';
import type { Result } from '../../shared/result';
import type { Principal } from '../access/principal';
import { ApprovalService, sha256Hex } from '../approvals/approval-service';
import { type AuditContext, actorOf } from '../audit/audit-context';
import { totpCode } from '../auth/totp';
import type { PlatformContext } from '../context';
import { type OrgScope, type TenantScope, tenantScope } from '../db/scope';
import { DeviceKeyService } from '../devices/device-key-service';
import { EvidenceService } from '../evidence/evidence-service';
import { WebhookService } from '../webhooks/webhook-service';
import { seededPeriod, seriesOf } from './evidence-periods';
import type { HistoryClock } from './history-clock';
import type { OrgProfile } from './profiles';
import type { Actor, EvidenceFile, Happening, LibraryUpload, Refs, Step, Story, TenantScript } from './story';

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
const TOTP_STEP_MS = 30_000;

/** A demo person as the history needs them: who they are, and the TOTP seed their authenticator holds. */
export interface HistoryPerson {
  readonly userId: string;
  readonly totpSeed: Uint8Array;
}

export interface HistoryOrg {
  readonly profile: OrgProfile;
  readonly scope: OrgScope;
  readonly people: Readonly<Record<RoleName, HistoryPerson>>;
}

interface Device {
  readonly id: string;
  readonly privateKey: KeyObject;
}

/** What one tenant's history has produced so far, by the names the stories use. */
interface Tenant {
  readonly org: HistoryOrg;
  readonly scope: TenantScope;
  readonly keys: Map<string, { id: string; secret: string }>;
  readonly requests: Map<string, string>;
  readonly library: Map<string, string>;
  readonly uploaded: string[];
  /** The newest library file of each series (seriesOf), which the next of the series supersedes. */
  readonly series: Map<string, string>;
  /** Where each exporter's next incremental export starts. */
  readonly exported: Map<string, number>;
}

interface Scheduled {
  readonly at: number;
  readonly order: number;
  readonly tenant: Tenant;
  readonly label: string;
  readonly run: () => void | Promise<void>;
}

/** A service answer the history depends on: a refusal here is a mistake in the story, so it stops the seed. */
function must<T>(result: Result<T>, what: string): T {
  if (!result.ok) throw new Error(`Demo history: ${what}: ${result.error.message}`);
  return result.value;
}

/**
 * Plays the demo's history through the platform's own services, event by event on the history clock: each
 * request raised with the requester's permissions, each decision signed by the approver's device key (with
 * a fresh TOTP code in the red lane), each file uploaded and typed from its bytes, and every step recorded
 * in the audit log by the code that records it in real use. Only the HTTP layer is skipped, so the audit
 * entries carry no request metadata, as for the platform's other command-line actions.
 */
export class History {
  readonly #approvals: ApprovalService;
  readonly #evidence: EvidenceService;
  readonly #devices: DeviceKeyService;
  readonly #webhooks: WebhookService;
  /** Private halves of the demo people's device keys: kept only while the seed runs. */
  readonly #deviceOf = new Map<string, Device>();
  readonly #lastTotpStep = new Map<string, number>();
  readonly #events: Scheduled[] = [];
  /** Seeded, so that every demo tells the same history down to the minute. */
  readonly #random = seededRandom(0x5eed);

  constructor(
    private readonly ctx: PlatformContext,
    private readonly clock: HistoryClock,
  ) {
    if (ctx.clock !== clock) throw new Error('The demo history must be played on the context’s own clock.');
    this.#webhooks = new WebhookService(ctx);
    this.#approvals = new ApprovalService(ctx, this.#webhooks);
    this.#evidence = new EvidenceService(ctx);
    this.#devices = new DeviceKeyService(ctx.stores, ctx.auditLog, clock);
  }

  /** Each person who decides registers their laptop's key in the first hour of the history. */
  addOrganization(org: HistoryOrg, script: (env: Environment) => TenantScript): void {
    const live = this.#tenant(org, 'live');
    Object.entries(org.profile.devices).forEach(([role, name], i) => {
      this.#schedule(this.clock.start + (20 + 7 * i) * 60_000, live, `${role}'s first device`, () =>
        this.#registerDevice(org, role as RoleName, name),
      );
    });
    for (const env of environments) {
      const tenant = env === 'live' ? live : this.#tenant(org, env);
      const { stories, happenings } = script(env);
      for (const story of stories) this.#scheduleStory(tenant, story);
      for (const happening of happenings) {
        this.#schedule(this.#daysAgo(happening.daysAgo), tenant, 'happening', () =>
          this.#happen(tenant, happening),
        );
      }
    }
  }

  async play(): Promise<void> {
    const events = this.#events.sort((a, b) => a.at - b.at || a.order - b.order);
    const tenants = new Set(events.map((e) => e.tenant));
    for (const event of events) {
      this.clock.moveTo(event.at);
      // What the running platform would have done meanwhile: retry webhook deliveries, expire requests.
      await this.#webhooks.deliverDue();
      await this.#sweepExpired(event.tenant);
      await event.run();
      // Deliveries an execution queued go out now, at the time of the event, as they would have.
      await nextTurn();
    }
    for (const tenant of tenants) await this.#sweepExpired(tenant);
    await this.#webhooks.deliverDue();
    await nextTurn();
    this.#deviceOf.clear();
  }

  #tenant(org: HistoryOrg, env: Environment): Tenant {
    return {
      org,
      scope: tenantScope(org.scope, env),
      keys: new Map(),
      requests: new Map(),
      library: new Map(),
      uploaded: [],
      series: new Map(),
      exported: new Map(),
    };
  }

  #daysAgo(days: number, hours = 0): number {
    return this.clock.end - days * DAY_MS + hours * HOUR_MS;
  }

  /**
   * Stories are written in tenths of days; a few minutes and seconds of jitter (less than the shortest gap
   * between two steps of a story) keep people from all acting on the same round minute.
   */
  #schedule(at: number, tenant: Tenant, label: string, run: () => void | Promise<void>): void {
    const jittered = Math.round(at + this.#random() * 4.5 * 60_000);
    if (jittered < this.clock.start || jittered > this.clock.end) {
      throw new Error(`Demo history: "${label}" falls outside the history.`);
    }
    this.#events.push({ at: jittered, order: this.#events.length, tenant, label, run });
  }

  /** Time a person spends between two clicks: reading a file, picking the next one. */
  #pause(minSeconds: number, maxSeconds: number): void {
    this.clock.advance((minSeconds + this.#random() * (maxSeconds - minSeconds)) * 1000);
  }

  #scheduleStory(tenant: Tenant, story: Story): void {
    const raisedAt = this.#daysAgo(story.daysAgo);
    let request: ApprovalRequest | undefined;
    const current = () => {
      if (!request) throw new Error(`Demo history: "${story.title}" was not raised.`);
      return request;
    };
    this.#schedule(raisedAt, tenant, story.title, async () => {
      request = await this.#raise(tenant, story);
    });
    for (const step of story.steps ?? []) {
      if (step.after <= 0) throw new Error(`Demo history: a step of "${story.title}" precedes it.`);
      this.#schedule(this.#daysAgo(story.daysAgo, step.after), tenant, story.title, async () => {
        request = await this.#step(tenant, story, current(), step);
      });
    }
  }

  #refs(tenant: Tenant): Refs {
    const named =
      <T>(map: Map<string, T>, what: string) =>
      (name: string) => {
        const found = map.get(name);
        if (found === undefined) throw new Error(`Demo history: no ${what} named ${name} yet.`);
        return found;
      };
    return {
      user: (role) => tenant.org.people[role].userId,
      keyId: (name) => named(tenant.keys, 'API key')(name).id,
      evidenceId: named(tenant.library, 'evidence file'),
      deviceKeyId: (role) => {
        const device = this.#deviceOf.get(tenant.org.people[role].userId);
        if (!device) throw new Error(`Demo history: ${role} has no device key yet.`);
        return device.id;
      },
    };
  }

  async #principal(tenant: Tenant, actor: Actor): Promise<Principal> {
    if (typeof actor === 'string' && actor !== 'integration') {
      return { kind: 'user', userId: tenant.org.people[actor].userId };
    }
    // An integration presents its current key, exactly as it would over HTTP.
    const name = actor === 'integration' ? 'erp' : actor.key;
    const key = tenant.keys.get(name);
    if (!key) throw new Error(`Demo history: no API key named ${name} yet.`);
    return must(await this.ctx.authentication.authenticate(`Bearer ${key.secret}`), `the ${name} key`);
  }

  /** The route guard's check: a person's current role in the organization, or a key's effective scopes. */
  async #allows(tenant: Tenant, principal: Principal): Promise<(permission: Permission) => boolean> {
    if (principal.kind === 'api-key') return (permission) => principal.scopes.includes(permission);
    const role = await this.ctx.stores.memberships.roleOf(
      tenant.scope.organizationId,
      principal.userId,
      this.ctx.clock.now(),
    );
    return (permission) => role !== undefined && roleAllows(role, permission);
  }

  async #require(tenant: Tenant, principal: Principal, permission: Permission, what: string): Promise<void> {
    if (!(await this.#allows(tenant, principal))(permission)) {
      throw new Error(`Demo history: ${what} needs ${permission}, which the actor does not have.`);
    }
  }

  #context(principal: Principal): AuditContext {
    return { actor: actorOf(principal), request: null };
  }

  async #raise(tenant: Tenant, story: Story): Promise<ApprovalRequest> {
    const principal = await this.#principal(tenant, story.by);
    await this.#require(tenant, principal, 'approvals:request', story.title);
    const at = new Date(this.clock.now());
    const payload =
      typeof story.payload === 'function' ? story.payload({ at, refs: this.#refs(tenant) }) : story.payload;
    const reverses = story.reverses === undefined ? undefined : tenant.requests.get(story.reverses);
    if (story.reverses !== undefined && !reverses) {
      throw new Error(`Demo history: "${story.title}" reverses an unknown story.`);
    }
    const input = CreateApprovalRequest.parse({
      kind: story.kind,
      title: story.title,
      summary: story.summary,
      payload,
      ...(reverses ? { reverses } : {}),
    });
    let request = must(
      await this.#approvals.create(
        tenant.scope,
        principal,
        await this.#allows(tenant, principal),
        input,
        this.#context(principal),
      ),
      story.title,
    );
    if (story.name) tenant.requests.set(story.name, request.id);
    for (const file of story.evidence ?? []) request = await this.#attach(tenant, request, story.by, file);
    await this.#collect(tenant, story, request);
    return request;
  }

  async #step(tenant: Tenant, story: Story, request: ApprovalRequest, step: Step): Promise<ApprovalRequest> {
    if ('comment' in step) {
      const principal = await this.#principal(tenant, step.by);
      await this.#require(tenant, principal, 'approvals:read', 'a comment');
      const { body } = CommentRequest.parse({ body: step.comment });
      const author = tenant.org.people[step.by].userId;
      return must(
        await this.#approvals.comment(tenant.scope, request.id, author, body, this.#context(principal)),
        `a comment on "${story.title}"`,
      );
    }
    if ('attach' in step) return this.#attach(tenant, request, step.by, step.attach);
    if ('withdraw' in step) {
      const principal = await this.#principal(tenant, step.withdraw);
      await this.#require(tenant, principal, 'approvals:request', 'a withdrawal');
      return must(
        await this.#approvals.withdraw(tenant.scope, request.id, principal, this.#context(principal)),
        `withdrawing "${story.title}"`,
      );
    }
    const decided =
      'approve' in step
        ? await this.#decide(
            tenant,
            request,
            step.approve,
            'approve',
            step.note ?? '',
            step.mistypesCode === true,
          )
        : await this.#decide(tenant, request, step.reject, 'reject', step.reason, false);
    await this.#collect(tenant, story, decided);
    return decided;
  }

  async #attach(
    tenant: Tenant,
    request: ApprovalRequest,
    by: Actor,
    file: EvidenceFile,
  ): Promise<ApprovalRequest> {
    const principal = await this.#principal(tenant, by);
    await this.#require(tenant, principal, 'evidence:upload', `attaching ${file.name}`);
    // People pick files one at a time; an integration sends them straight after the request.
    if (principal.kind === 'user') this.#pause(15, 50);
    else this.#pause(1, 3);
    const query = UploadEvidenceQuery.parse({ name: file.name, requestId: request.id });
    const meta = must(
      await this.#evidence.upload(
        tenant.scope,
        principal,
        {
          name: query.name,
          requestId: request.id,
          bytes: file.make(new Date(this.clock.now())),
          ...seededPeriod(file.name, this.clock.now()),
        },
        this.#context(principal),
      ),
      `attaching ${file.name}`,
    );
    tenant.uploaded.push(meta.id);
    return must(await this.#approvals.get(tenant.scope, request.id), 'reading a request back');
  }

  /**
   * One signed decision, as the console makes it: the approver opens each evidence file (each link issued
   * is audited), signs the statement over what they saw with their device key and, to approve in the red
   * lane, types a fresh code from their authenticator (once, optionally, a mistyped one first).
   */
  async #decide(
    tenant: Tenant,
    request: ApprovalRequest,
    role: RoleName,
    decision: 'approve' | 'reject',
    comment: string,
    mistypesCode: boolean,
  ): Promise<ApprovalRequest> {
    const person = tenant.org.people[role];
    const principal: Principal = { kind: 'user', userId: person.userId };
    const context = this.#context(principal);
    await this.#require(tenant, principal, 'approvals:decide', `deciding "${request.title}"`);
    const view = must(await this.#approvals.get(tenant.scope, request.id), 'reading a request');
    for (const file of view.evidence) {
      await this.#require(tenant, principal, 'evidence:read', 'opening evidence');
      must(await this.#evidence.issueUrl(tenant.scope, principal, file.id, context), `opening ${file.name}`);
      this.#pause(30, 150);
    }
    const stepUp = view.lane === 'red' && decision === 'approve';
    if (stepUp && mistypesCode) {
      const wrong = this.#wrongCode(person);
      const refused = await this.#approvals.decide(
        tenant.scope,
        view.id,
        person.userId,
        this.#decisionBody(view, person, decision, comment, wrong),
        context,
      );
      if (refused.ok) throw new Error('Demo history: a mistyped code was accepted.');
      this.clock.advance(40_000);
    }
    const totp = stepUp ? this.#freshCode(person) : undefined;
    return must(
      await this.#approvals.decide(
        tenant.scope,
        view.id,
        person.userId,
        this.#decisionBody(view, person, decision, comment, totp),
        context,
      ),
      `${role} deciding "${request.title}"`,
    );
  }

  #decisionBody(
    view: ApprovalRequest,
    person: HistoryPerson,
    decision: 'approve' | 'reject',
    comment: string,
    totp: string | undefined,
  ): DecideRequest {
    const device = this.#deviceOf.get(person.userId);
    if (!device) throw new Error('Demo history: a decision by someone without a device key.');
    const decidedAt = new Date(this.clock.now()).toISOString();
    const statement = {
      requestId: view.id,
      decision,
      payloadHash: view.payloadHash,
      evidenceHashes: view.evidence.map((e) => e.sha256),
      commentHash: sha256Hex(comment),
      decidedAt,
    };
    const signature = sign(null, decisionStatementBytes(statement), device.privateKey).toString('base64');
    return DecideRequest.parse({
      decision,
      comment,
      deviceKeyId: device.id,
      decidedAt,
      signature,
      idempotencyKey: randomUUID(),
      ...(totp ? { totp } : {}),
    });
  }

  /**
   * A code for a TOTP step this person has not used: each step counts once, so when the clock is still in
   * the step of their last code the history waits for the next one, as a person would.
   */
  #freshCode(person: HistoryPerson): string {
    const last = this.#lastTotpStep.get(person.userId) ?? -1;
    if (Math.floor(this.clock.now() / TOTP_STEP_MS) <= last) {
      this.clock.moveTo((last + 1) * TOTP_STEP_MS + 1000);
    }
    // A code that equals a neighbouring step's would match that step first, which may be used already.
    const codeAt = (offset: number) => totpCode(person.totpSeed, this.clock.now() + offset);
    while (codeAt(0) === codeAt(-TOTP_STEP_MS) || codeAt(0) === codeAt(TOTP_STEP_MS)) {
      this.clock.advance(TOTP_STEP_MS);
    }
    this.#lastTotpStep.set(person.userId, Math.floor(this.clock.now() / TOTP_STEP_MS));
    return codeAt(0);
  }

  /** A six-digit code that matches none of the steps the platform would accept now. */
  #wrongCode(person: HistoryPerson): string {
    const accepted = [-1, 0, 1].map((k) => totpCode(person.totpSeed, this.clock.now() + k * TOTP_STEP_MS));
    let code = totpCode(person.totpSeed, this.clock.now() - 20 * TOTP_STEP_MS);
    while (accepted.includes(code)) code = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    return code;
  }

  /** The requester collects a new key's secret once, as the console does right after execution. */
  async #collect(tenant: Tenant, story: Story, request: ApprovalRequest): Promise<void> {
    if (!story.key || request.status !== 'executed') return;
    const { secret } = must(
      await this.#approvals.result(tenant.scope, request.id, request.requester.id),
      `collecting the key of "${story.title}"`,
    );
    if (!secret) throw new Error(`Demo history: "${story.title}" produced no key.`);
    tenant.keys.set(story.key, { id: secret.slice(0, secret.indexOf('.')), secret });
  }

  async #registerDevice(org: HistoryOrg, role: RoleName, name: string): Promise<void> {
    const person = org.people[role];
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
    const body = RegisterDeviceKey.parse({ name, publicKey: Buffer.from(raw).toString('base64') });
    const context = this.#context({ kind: 'user', userId: person.userId });
    const previous = this.#deviceOf.get(person.userId);
    const key = must(await this.#devices.register(person.userId, body.name, body.publicKey, context), name);
    this.#deviceOf.set(person.userId, { id: key.id, privateKey });
    // A replaced laptop's key is revoked as soon as the new one works, as the console's rotation does.
    if (previous) must(await this.#devices.revoke(person.userId, previous.id, context), `revoking ${name}`);
  }

  async #happen(tenant: Tenant, happening: Happening): Promise<void> {
    if ('newDevice' in happening)
      return this.#registerDevice(tenant.org, happening.newDevice, happening.device);
    if ('upload' in happening) return this.#uploadToLibrary(tenant, happening);
    if ('exportAudit' in happening) return this.#export(tenant, happening.exportAudit);
    const role = 'verifyAudit' in happening ? happening.verifyAudit : happening.sampleEvidence;
    const principal: Principal = { kind: 'user', userId: tenant.org.people[role].userId };
    const context = this.#context(principal);
    if ('verifyAudit' in happening) {
      await this.#require(tenant, principal, 'audit:read', 'an integrity check');
      await this.ctx.audit.checkpoint(tenant.scope);
      return;
    }
    // An auditor samples evidence: every few files of those still held, spread over the history so far.
    await this.#require(tenant, principal, 'evidence:read', 'an evidence sample');
    const held: string[] = [];
    for (const id of tenant.uploaded) {
      if ((await this.ctx.stores.evidence.get(tenant.scope, id))?.deleted_at === null) held.push(id);
    }
    const every = Math.max(1, Math.floor(held.length / happening.count));
    for (let i = 0; i < held.length && i / every < happening.count; i += every) {
      must(
        await this.#evidence.issueUrl(tenant.scope, principal, held[i] as string, context),
        'an evidence sample',
      );
      this.#pause(60, 240);
    }
  }

  /** An export, as the route streams it: recorded in the log itself, with a checkpoint covering it. */
  async #export(tenant: Tenant, actor: Actor): Promise<void> {
    const principal = await this.#principal(tenant, actor);
    await this.#require(tenant, principal, 'audit:export', 'an audit export');
    const who = typeof actor === 'string' ? actor : actor.key;
    const start = tenant.exported.get(who) ?? 0;
    const exported = must(
      await this.ctx.audit.export(
        tenant.scope,
        this.#context(principal),
        { start },
        new Date(this.clock.now()),
      ),
      'an audit export',
    );
    // Read to the end, as the download would be.
    let bytes = 0;
    for await (const chunk of exported.chunks) bytes += chunk.length;
    if (bytes === 0) throw new Error('Demo history: an empty audit export.');
    tenant.exported.set(who, exported.end);
  }

  async #uploadToLibrary(tenant: Tenant, happening: LibraryUpload): Promise<void> {
    const principal = await this.#principal(tenant, happening.by);
    await this.#require(tenant, principal, 'evidence:upload', `uploading ${happening.upload.name}`);
    const series = seriesOf(happening.upload.name);
    const previous = tenant.series.get(series);
    const live =
      previous && (await this.ctx.stores.evidence.get(tenant.scope, previous))?.deleted_at === null;
    const meta = must(
      await this.#evidence.upload(
        tenant.scope,
        principal,
        {
          name: happening.upload.name,
          bytes: happening.upload.make(new Date(this.clock.now())),
          ...seededPeriod(happening.upload.name, this.clock.now()),
          ...(live ? { supersedes: previous } : {}),
        },
        this.#context(principal),
      ),
      `uploading ${happening.upload.name}`,
    );
    tenant.series.set(series, meta.id);
    if (happening.name) tenant.library.set(happening.name, meta.id);
    tenant.uploaded.push(meta.id);
  }

  async #sweepExpired(tenant: Tenant): Promise<void> {
    // Listing is what closes overdue requests, as when someone opens the queue.
    await this.#approvals.list(tenant.scope, { statuses: ['pending'], limit: 1 });
  }
}

/** mulberry32: a small, good-enough generator for jitter, from a fixed seed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
