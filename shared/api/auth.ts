import { z } from 'zod';
import { Id } from './common';

export const SignInRequest = z.strictObject({
  email: z.email().max(254),
  password: z.string().min(1).max(1024),
  totp: z.string().regex(/^[0-9]{6}$/, 'Expected a 6-digit code'),
});
export type SignInRequest = z.infer<typeof SignInRequest>;

export const TokenPair = z.object({
  tokenType: z.literal('Bearer'),
  accessToken: z.string(),
  expiresIn: z.number().int().positive(),
  refreshToken: z.string(),
  refreshExpiresIn: z.number().int().positive(),
});
export type TokenPair = z.infer<typeof TokenPair>;

export const RefreshRequest = z.strictObject({ refreshToken: z.string().min(1).max(512) });
export const SignOutRequest = RefreshRequest;

export const Me = z.object({
  kind: z.literal('user'),
  id: Id,
  email: z.string(),
  displayName: z.string(),
  memberships: z.array(
    z.object({
      organizationId: Id,
      organizationSlug: z.string(),
      organizationName: z.string(),
      role: z.string(),
    }),
  ),
});
export type Me = z.infer<typeof Me>;
