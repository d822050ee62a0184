import { ApprovalRequest } from '../../../../shared/api/approvals';
import { Member, MemberList } from '../../../../shared/api/organizations';
import { RoleList } from '../../../../shared/api/roles';
import type { memberCalls } from '../../../../shared/contract/calls/members';
import { ok } from '../../../../shared/result';
import type { HandlersOf } from '../dispatcher';
import { type HandlerServices, tenantPath } from './services';

export function memberHandlers({ profiles }: HandlerServices): HandlersOf<typeof memberCalls> {
  return {
    'roles.list': async ({ profile }) => {
      const client = await profiles.client(profile);
      return client.ok ? client.value.request('GET', '/v1/roles', RoleList) : client;
    },
    'members.list': async ({ profile, tenant }) => {
      const client = await profiles.client(profile);
      return client.ok
        ? client.value.request('GET', `/v1/orgs/${tenant.organization}/members`, MemberList)
        : client;
    },
    'members.changeRole': async ({ profile, tenant, userId, role }) => {
      const client = await profiles.client(profile);
      if (!client.ok) return client;
      const changed = await client.value.request(
        'PUT',
        `/v1/orgs/${tenant.organization}/members/${userId}/role`,
        Member,
        { role },
      );
      if (changed.ok) return ok({ outcome: 'done' as const, member: changed.value });
      if (changed.error.code !== 'approval-required') return changed;
      const request = await client.value.request('POST', tenantPath(tenant, 'approvals'), ApprovalRequest, {
        kind: 'member.role_change',
        title: `Change a member's role to ${role}`,
        summary: changed.error.message,
        payload: { userId, role },
      });
      return request.ok ? ok({ outcome: 'approval-requested' as const, request: request.value }) : request;
    },
  };
}
