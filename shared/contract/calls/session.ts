import { z } from 'zod';
import { call, ProfileRef } from '../spec';

const PlatformUrl = z.string().min(1).max(300);
const SignInId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);

export const sessionCalls = {
  'session.beginBrowserSignIn': call({
    summary:
      'Starts the desktop sign-in: PKCE through the system browser and a loopback redirect. Where the console cannot open a browser itself (the headless host), the renderer opens the URL.',
    input: z.strictObject({ platformUrl: PlatformUrl }),
    output: z.object({ signInId: SignInId, authorizationUrl: z.string().url(), opened: z.boolean() }),
    errors: ['bad-request', 'unavailable'],
  }),
  'session.completeBrowserSignIn': call({
    summary: 'Waits for the browser to come back and finishes the sign-in; the session goes to the keychain.',
    input: z.strictObject({ signInId: SignInId }),
    output: z.object({
      profile: ProfileRef,
      email: z.string(),
      displayName: z.string(),
      deviceKeyId: z.string(),
    }),
    errors: ['bad-request', 'not-found', 'unauthenticated', 'unavailable'],
  }),
  'session.cancelBrowserSignIn': call({
    summary: 'Stops waiting for a browser sign-in.',
    input: z.strictObject({ signInId: SignInId }),
    output: z.object({ cancelled: z.boolean() }),
    errors: ['bad-request'],
  }),
  'session.signInWithApiKey': call({
    summary: 'Signs in with an API key (auditors, service accounts); the key goes to the OS keychain only.',
    input: z.strictObject({
      platformUrl: PlatformUrl,
      apiKey: z
        .string()
        .regex(/^cck_(test|live)_[a-z2-7]{26}\.[A-Za-z0-9_-]{20,100}$/, 'Expected an API key'),
    }),
    output: z.object({
      profile: ProfileRef,
      organization: z.string(),
      environment: z.enum(['test', 'live']),
      scopes: z.array(z.string()),
    }),
    errors: ['bad-request', 'unauthenticated', 'unavailable'],
  }),
  'profiles.list': call({
    summary: 'The profiles this console holds credentials for.',
    input: z.strictObject({}),
    output: z.object({ profiles: z.array(ProfileRef) }),
    errors: [],
  }),
  'session.signOut': call({
    summary:
      'Signs a profile out: the platform ends the session, and every secret the profile has in the OS keychain is deleted.',
    input: z.strictObject({ profile: ProfileRef }),
    output: z.object({ secretsRemoved: z.number().int().min(0) }),
    errors: ['bad-request', 'not-found'],
  }),
} as const;
