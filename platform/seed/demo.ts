import { randomBytes } from 'node:crypto';
import { type RoleName, roleNames } from '../../shared/domain/permissions';
import { totpUri } from '../auth/totp';
import type { PlatformContext } from '../context';
import { base32 } from '../crypto/random';
import { addMember, createOrganization, createUser } from '../organizations/provisioning';

export interface DemoUser {
  readonly organization: string;
  readonly role: RoleName;
  readonly userId: string;
  readonly email: string;
  readonly password: string;
  readonly totpSeed: Uint8Array;
}

const demoOrganizations = [
  { slug: 'acme', name: 'Acme Corporation' },
  { slug: 'globex', name: 'Globex Industries' },
] as const;

export function isSeeded(ctx: PlatformContext): boolean {
  return demoOrganizations.some((o) => ctx.stores.organizations.findBySlug(o.slug));
}

/**
 * Two organizations with one person per role each. Passwords and TOTP seeds are random and returned to
 * the caller only, who shows them once; they are never logged or written anywhere else.
 */
export async function seedDemo(ctx: PlatformContext): Promise<DemoUser[]> {
  if (isSeeded(ctx)) throw new Error('The demo organizations already exist in this data directory.');
  const users: DemoUser[] = [];
  for (const org of demoOrganizations) {
    const scope = createOrganization(ctx, org.slug, org.name);
    for (const role of roleNames) {
      const email = `${role.replace('_', '-')}@${org.slug}.example`;
      const password = base32(randomBytes(10));
      const { userId, totpSeed } = await createUser(ctx, {
        email,
        displayName: `${titleCase(role)} (${org.name})`,
        password,
      });
      addMember(ctx, scope, userId, role);
      users.push({ organization: org.slug, role, userId, email, password, totpSeed });
    }
  }
  return users;
}

function titleCase(role: string): string {
  return role
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
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
    '\nAdd each TOTP secret to an authenticator app, or print a code with `npm run platform -- totp SECRET`.\n\n',
  );
}

function base32Upper(bytes: Uint8Array): string {
  return base32(bytes).toUpperCase();
}
