import {
  ApiKey,
  ApiKeyList,
  ApiKeyParams,
  ApiKeySelf,
  ApiKeyWithSecret,
  CreateApiKeyRequest,
  RotateApiKeyRequest,
} from '../api-keys';
import { TenantParams } from '../organizations';
import { route } from '../route';

const keys = '/v1/orgs/:org/envs/:env/api-keys';

export const apiKeysApi = {
  self: route({ method: 'GET', path: '/v1/api-keys/self', status: 200, reply: ApiKeySelf }),
  list: route({ method: 'GET', path: keys, params: TenantParams, status: 200, reply: ApiKeyList }),
  create: route({
    method: 'POST',
    path: keys,
    params: TenantParams,
    body: CreateApiKeyRequest,
    status: 201,
    reply: ApiKeyWithSecret,
  }),
  get: route({ method: 'GET', path: `${keys}/:keyId`, params: ApiKeyParams, status: 200, reply: ApiKey }),
  rotate: route({
    method: 'POST',
    path: `${keys}/:keyId/rotate`,
    params: ApiKeyParams,
    body: RotateApiKeyRequest,
    status: 201,
    reply: ApiKeyWithSecret,
  }),
  revoke: route({
    method: 'POST',
    path: `${keys}/:keyId/revoke`,
    params: ApiKeyParams,
    status: 200,
    reply: ApiKey,
  }),
} as const;
