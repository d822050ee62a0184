import { Directory } from '../directory';
import {
  ChangeRoleRequest,
  Member,
  MemberList,
  MemberParams,
  Organization,
  OrganizationList,
  OrgParams,
  TenantParams,
} from '../organizations';
import { RoleList } from '../roles';
import { route } from '../route';

export const organizationsApi = {
  list: route({ method: 'GET', path: '/v1/orgs', status: 200, reply: OrganizationList }),
  get: route({ method: 'GET', path: '/v1/orgs/:org', params: OrgParams, status: 200, reply: Organization }),
  members: route({
    method: 'GET',
    path: '/v1/orgs/:org/members',
    params: OrgParams,
    status: 200,
    reply: MemberList,
  }),
  changeRole: route({
    method: 'PUT',
    path: '/v1/orgs/:org/members/:userId/role',
    params: MemberParams,
    body: ChangeRoleRequest,
    status: 200,
    reply: Member,
  }),
  /** Everyone a tenant's records name, members and people who have left, and its API keys. */
  directory: route({
    method: 'GET',
    path: '/v1/orgs/:org/envs/:env/directory',
    params: TenantParams,
    status: 200,
    reply: Directory,
  }),
  roles: route({ method: 'GET', path: '/v1/roles', status: 200, reply: RoleList }),
} as const;
