import { z } from 'zod';
import { Environment } from '../domain/environments';
import { RoleName } from '../domain/permissions';
import { ApiKeyId } from './api-keys';
import { Id } from './common';

/**
 * Someone a tenant's history names: a member (with their role), or a person who acted here and has since
 * left the organization (`removed`, no role), kept so that old requests, decisions and comments still
 * show a name rather than an id.
 */
export const DirectoryPerson = z.object({
  id: Id,
  displayName: z.string(),
  email: z.string(),
  role: RoleName.nullable(),
  removed: z.boolean(),
});
export type DirectoryPerson = z.infer<typeof DirectoryPerson>;

/** An API key of the tenant, by name and owner: requests raised through a key show whose key it is. */
export const DirectoryApiKey = z.object({
  id: ApiKeyId,
  name: z.string(),
  ownerId: Id,
  environment: Environment,
});
export type DirectoryApiKey = z.infer<typeof DirectoryApiKey>;

export const Directory = z.object({
  people: z.array(DirectoryPerson),
  apiKeys: z.array(DirectoryApiKey),
});
export type Directory = z.infer<typeof Directory>;
