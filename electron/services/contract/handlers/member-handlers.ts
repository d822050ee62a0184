import { approvalsApi, organizationsApi } from '../../../../shared/api/routes';
import type { memberCalls } from '../../../../shared/contract/calls/members';
import { ok } from '../../../../shared/result';
import type { HandlersOf } from '../dispatcher';
import { announced, type HandlerServices, tenantParams } from './services';

export function memberHandlers({ profiles, events }: HandlerServices): HandlersOf<typeof memberCalls> {
  return {
    'roles.list': async ({ profile }) => {
      const client = await profiles.client(profile);
      return client.ok ? client.value.call(organizationsApi.roles, {}) : client;
    },
    'members.list': async ({ profile, tenant }) => {
      const client = await profiles.client(profile);
      return client.ok
        ? client.value.call(organizationsApi.members, { params: { org: tenant.organization } })
        : client;
    },
    'members.changeRole': async ({ profile, tenant, userId, role }) => {
      const client = await profiles.client(profile);
      if (!client.ok) return client;
      const changed = await client.value.call(organizationsApi.changeRole, {
        params: { org: tenant.organization, userId },
        body: { role },
      });
      if (changed.ok) return ok({ outcome: 'done' as const, member: changed.value });
      if (changed.error.code !== 'approval-required') return changed;
      const request = await client.value.call(approvalsApi.create, {
        params: tenantParams(tenant),
        body: {
          kind: 'member.role_change',
          title: `Change a member's role to ${role}`,
          summary: changed.error.message,
          payload: { userId, role },
        },
      });
      announced(events, profile, tenant, request);
      return request.ok ? ok({ outcome: 'approval-requested' as const, request: request.value }) : request;
    },
    'directory.get': async ({ profile, tenant }) => {
      const client = await profiles.client(profile);
      if (!client.ok) return client;
      return client.value.call(organizationsApi.directory, { params: tenantParams(tenant) });
    },
  };
}
