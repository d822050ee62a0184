import { createHash, randomUUID } from 'node:crypto';
import { approvalsApi, policyApi } from '../../../../shared/api/routes';
import { decisionStatementBytes } from '../../../../shared/approvals/decision-statement';
import type { approvalCalls } from '../../../../shared/contract/calls/approvals';
import { fail, ok } from '../../../../shared/result';
import type { HandlersOf } from '../dispatcher';
import { announced, type HandlerServices, tenantParams } from './services';

export function approvalHandlers({
  profiles,
  deviceKeys,
  now,
  events,
}: HandlerServices): HandlersOf<typeof approvalCalls> {
  return {
    'approvals.list': async ({ profile, tenant, query }) => {
      const client = await profiles.client(profile);
      if (!client.ok) return client;
      return client.value.call(approvalsApi.list, { params: tenantParams(tenant), query });
    },
    'approvals.get': async ({ profile, tenant, requestId }) => {
      const client = await profiles.client(profile);
      if (!client.ok) return client;
      const params = { ...tenantParams(tenant), requestId };
      const [request, timeline] = await Promise.all([
        client.value.call(approvalsApi.get, { params }),
        client.value.call(approvalsApi.timeline, { params }),
      ]);
      if (!request.ok) return request;
      if (!timeline.ok) return timeline;
      return ok({ request: request.value, timeline: timeline.value });
    },
    'approvals.decide': async ({ profile, tenant, requestId, decision, comment, totp }) => {
      const client = await profiles.client(profile);
      if (!client.ok) return client;
      if ((await profiles.kindOf(profile)) === 'api-key')
        return fail('forbidden', 'Decisions are made by people; sign in with the browser to decide.');
      const params = { ...tenantParams(tenant), requestId };
      // The statement is built from what the platform shows now, so the signature covers what was seen.
      const request = await client.value.call(approvalsApi.get, { params });
      if (!request.ok) return request;
      const signer = await deviceKeys.ensure(profile, client.value);
      if (!signer.ok) return signer;
      const decidedAt = new Date(now()).toISOString();
      const bytes = decisionStatementBytes({
        requestId,
        decision,
        payloadHash: request.value.payloadHash,
        evidenceHashes: request.value.evidence.map((e) => e.sha256),
        commentHash: createHash('sha256').update(comment).digest('hex'),
        decidedAt,
      });
      // The idempotency key makes a retry after a lost reply safe (the route is declared idempotent).
      const decided = await client.value.call(approvalsApi.decide, {
        params,
        body: {
          decision,
          comment,
          deviceKeyId: signer.value.keyId,
          decidedAt,
          signature: signer.value.sign(bytes),
          idempotencyKey: randomUUID(),
          ...(totp ? { totp } : {}),
        },
      });
      announced(events, profile, tenant, decided);
      if (!decided.ok) return decided;
      return ok({
        request: decided.value,
        signedStatement: new TextDecoder().decode(bytes),
        deviceKeyId: signer.value.keyId,
      });
    },
    'approvals.create': async ({ profile, tenant, ...request }) => {
      // People say why; an integration's key may raise a request with the reason in its payload.
      if (request.summary.trim() === '' && (await profiles.kindOf(profile)) === 'user')
        return fail('bad-request', 'Say why this change is needed: the justification is required.');
      const client = await profiles.client(profile);
      if (!client.ok) return client;
      // Evidence chosen for the request was uploaded first, unattached (`evidence.upload` without a
      // request); the platform binds it in the request's own transaction, before anyone can decide.
      const created = await client.value.call(approvalsApi.create, {
        params: tenantParams(tenant),
        body: request,
      });
      const raised = announced(events, profile, tenant, created);
      return raised.ok ? ok({ request: raised.value }) : raised;
    },
    'approvals.withdraw': async ({ profile, tenant, requestId }) => {
      const client = await profiles.client(profile);
      if (!client.ok) return client;
      const withdrawn = await client.value.call(approvalsApi.withdraw, {
        params: { ...tenantParams(tenant), requestId },
      });
      const request = announced(events, profile, tenant, withdrawn);
      return request.ok ? ok({ request: request.value }) : request;
    },
    'approvals.comment': async ({ profile, tenant, requestId, body }) => {
      const client = await profiles.client(profile);
      if (!client.ok) return client;
      const commented = await client.value.call(approvalsApi.comment, {
        params: { ...tenantParams(tenant), requestId },
        body: { body },
      });
      const request = announced(events, profile, tenant, commented);
      return request.ok ? ok({ request: request.value }) : request;
    },
    // The secret passes through once, in this reply: it is not kept, cached or logged in this process.
    'approvals.result': async ({ profile, tenant, requestId }) => {
      const client = await profiles.client(profile);
      if (!client.ok) return client;
      return client.value.call(approvalsApi.result, { params: { ...tenantParams(tenant), requestId } });
    },
    'policy.get': async ({ profile, tenant }) => {
      const client = await profiles.client(profile);
      if (!client.ok) return client;
      return client.value.call(policyApi.get, { params: { org: tenant.organization } });
    },
  };
}
