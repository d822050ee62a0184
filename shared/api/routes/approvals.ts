import { z } from 'zod';
import {
  ApprovalList,
  ApprovalListQuery,
  ApprovalParams,
  ApprovalRequest,
  ApprovalResult,
  CommentRequest,
  CreateApprovalRequest,
  DecideRequest,
  DeliveryList,
  DeviceKey,
  DeviceKeyList,
  DeviceKeyParams,
  Policy,
  RegisterDeviceKey,
  Timeline,
} from '../approvals';
import { OrgParams, TenantParams } from '../organizations';
import { route } from '../route';

const approvals = '/v1/orgs/:org/envs/:env/approvals';
const one = `${approvals}/:requestId`;

export const approvalsApi = {
  create: route({
    method: 'POST',
    path: approvals,
    params: TenantParams,
    body: CreateApprovalRequest,
    status: 201,
    reply: ApprovalRequest,
  }),
  list: route({
    method: 'GET',
    path: approvals,
    params: TenantParams,
    query: ApprovalListQuery,
    status: 200,
    reply: ApprovalList,
  }),
  get: route({ method: 'GET', path: one, params: ApprovalParams, status: 200, reply: ApprovalRequest }),
  timeline: route({
    method: 'GET',
    path: `${one}/timeline`,
    params: ApprovalParams,
    status: 200,
    reply: Timeline,
  }),
  deliveries: route({
    method: 'GET',
    path: `${one}/deliveries`,
    params: ApprovalParams,
    status: 200,
    reply: DeliveryList,
  }),
  // The idempotency key in the body makes a retry after a lost reply safe: it never counts twice.
  decide: route({
    method: 'POST',
    path: `${one}/decisions`,
    params: ApprovalParams,
    body: DecideRequest,
    status: 200,
    reply: ApprovalRequest,
    idempotent: true,
  }),
  withdraw: route({
    method: 'POST',
    path: `${one}/withdraw`,
    params: ApprovalParams,
    status: 200,
    reply: ApprovalRequest,
  }),
  comment: route({
    method: 'POST',
    path: `${one}/comments`,
    params: ApprovalParams,
    body: CommentRequest,
    status: 200,
    reply: ApprovalRequest,
  }),
  /** What an executed request produced for its requester (a new secret), handed out once. */
  result: route({
    method: 'POST',
    path: `${one}/result`,
    params: ApprovalParams,
    status: 200,
    reply: ApprovalResult,
  }),
} as const;

export const policyApi = {
  get: route({ method: 'GET', path: '/v1/orgs/:org/policy', params: OrgParams, status: 200, reply: Policy }),
  /**
   * Always refused with `approval-required`, and the attempt recorded: the policy changes only through an
   * approved `policy.update` request. Kept so that a client writing it directly is told how.
   */
  put: route({
    method: 'PUT',
    path: '/v1/orgs/:org/policy',
    params: OrgParams,
    status: 200,
    reply: z.never(),
  }),
  /** Refused like the policy: an environment's webhook target is part of it. */
  putWebhook: route({
    method: 'PUT',
    path: '/v1/orgs/:org/envs/:env/webhook',
    params: TenantParams,
    status: 200,
    reply: z.never(),
  }),
} as const;

export const deviceKeysApi = {
  list: route({ method: 'GET', path: '/v1/me/device-keys', status: 200, reply: DeviceKeyList }),
  register: route({
    method: 'POST',
    path: '/v1/me/device-keys',
    body: RegisterDeviceKey,
    status: 201,
    reply: DeviceKey,
  }),
  // A revoked key stays revoked: repeating the call changes nothing.
  revoke: route({
    method: 'POST',
    path: '/v1/me/device-keys/:keyId/revoke',
    params: DeviceKeyParams,
    status: 200,
    reply: DeviceKey,
    idempotent: true,
  }),
} as const;
