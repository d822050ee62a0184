import { randomBytes } from 'node:crypto';
import { type RoleName, roleNames } from '../../shared/domain/permissions';
import { totpUri } from '../auth/totp';
import { type ContextOptions, createContext, type PlatformContext } from '../context';
import { base32 } from '../crypto/random';
import { addMember, createOrganization, createUser } from '../organizations/provisioning';
import { ReviewService } from '../reviews/review-service';
import { History, type HistoryOrg, type HistoryPerson } from './history';
import { HistoryClock } from './history-clock';
import { profiles } from './profiles';
import { liveScript } from './stories/live';
import { testScript } from './stories/test';
import { type DemoSummary, summarize } from './summary';

export interface DemoUser {
  readonly organization: string;
  readonly role: RoleName;
  readonly userId: string;
  readonly email: string;
  readonly password: string;
  readonly totpSeed: Uint8Array;
}

export interface SeedOptions {
  /**
   * Play the lived-in history on this clock, which must be the context's own: about two months of
   * requests, decisions, evidence, keys and audit entries ending at the clock's end. Without it (as in
   * the tests) the organizations are quiet: people and memberships only.
   */
  readonly history?: HistoryClock;
}

/** How far back the lived-in demo's history starts. */
export const HISTORY_DAYS = 60;
/** The history ends this long before the real time, so the first entry the server appends comes later. */
const HISTORY_END_MARGIN_MS = 60_000;

export async function isSeeded(ctx: PlatformContext): Promise<boolean> {
  for (const profile of profiles) {
    if (await ctx.stores.organizations.findBySlug(profile.slug)) return true;
  }
  return false;
}

/**
 * Two organizations with one person per role each. Passwords and TOTP seeds are random and returned to
 * the caller only, who shows them once; they are never logged or written anywhere else.
 */
export async function seedDemo(ctx: PlatformContext, options: SeedOptions = {}): Promise<DemoUser[]> {
  if (await isSeeded(ctx)) throw new Error('The demo organizations already exist in this data directory.');
  const users: DemoUser[] = [];
  const orgs: HistoryOrg[] = [];
  for (const profile of profiles) {
    const scope = await createOrganization(ctx, profile.slug, profile.name);
    const people = {} as Record<RoleName, HistoryPerson>;
    for (const role of roleNames) {
      const email = `${role.replace('_', '-')}@${profile.slug}.example`;
      const password = base32(randomBytes(10));
      const { userId, totpSeed } = await createUser(ctx, {
        email,
        displayName: profile.people[role],
        password,
      });
      await addMember(ctx, scope, userId, role);
      people[role] = { userId, totpSeed };
      users.push({ organization: profile.slug, role, userId, email, password, totpSeed });
    }
    orgs.push({ profile, scope, people });
  }
  if (options.history) {
    const history = new History(ctx, options.history);
    for (const org of orgs) {
      history.addOrganization(org, (env) =>
        env === 'live' ? liveScript(org.profile) : testScript(org.profile),
      );
    }
    await history.play();
    // An access review under way, so the console's Reviews screen has work to show from the start.
    for (const org of orgs) await startDemoReview(ctx, org);
  }
  return users;
}

/** The compliance officer starts a quarterly review of members and keys, reviewed with the admin. */
async function startDemoReview(ctx: PlatformContext, org: HistoryOrg): Promise<void> {
  const officer = org.people.compliance_officer.userId;
  const started = await new ReviewService(ctx).start(
    org.scope,
    officer,
    {
      title: 'Quarterly access review',
      covers: ['members', 'api_keys'],
      reviewers: [officer, org.people.admin.userId],
      deadline: new Date(ctx.clock.now() + 14 * 24 * 3600_000).toISOString(),
    },
    { actor: { type: 'user', id: officer }, request: null },
  );
  if (!started.ok) throw new Error(`Demo review: ${started.error.message}`);
}

/**
 * The lived-in demo, into a data directory: seeded through a context of its own whose clock starts
 * {@link HISTORY_DAYS} days ago and ends a minute before `now`, then closed. The platform that serves the
 * directory afterwards runs on the system clock, so its first audit entry follows the history's last.
 */
export async function seedLivedInDemo(
  dataDir: string,
  options: Omit<ContextOptions, 'clock'> & { readonly now?: number } = {},
): Promise<{ users: DemoUser[]; summary: DemoSummary }> {
  const { now = Date.now(), ...contextOptions } = options;
  const clock = new HistoryClock(now - HISTORY_DAYS * 24 * 3600_000, now - HISTORY_END_MARGIN_MS);
  // The history's invitations are mailed (to the outbox) with links to the demo's default address.
  const publicOrigin = contextOptions.publicOrigin ?? 'http://127.0.0.1:4610';
  const ctx = await createContext(dataDir, { ...contextOptions, publicOrigin, clock });
  try {
    const users = await seedDemo(ctx, { history: clock });
    return { users, summary: await summarize(ctx) };
  } finally {
    await ctx.close();
  }
}

/** The one place demo credentials are shown: straight to the terminal, never through the logger. */
export function printDemoCredentials(users: readonly DemoUser[], out: NodeJS.WritableStream): void {
  out.write('\nDemo credentials (shown once; keep them somewhere safe):\n\n');
  for (const user of users) {
    out.write(`  ${user.email.padEnd(34)} password ${user.password}\n`);
    out.write(
      `  ${''.padEnd(34)} TOTP     ${base32Upper(user.totpSeed)}  (${totpUri(user.totpSeed, user.email)})\n`,
    );
  }
  out.write(
    '\nAdd each TOTP secret to an authenticator app, or print a code with `echo SECRET | npm run platform -- totp`.\n\n',
  );
}

function base32Upper(bytes: Uint8Array): string {
  return base32(bytes).toUpperCase();
}
