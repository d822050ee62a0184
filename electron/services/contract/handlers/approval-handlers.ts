import { createHash, randomUUID } from 'node:crypto';
import { approvalsApi } from '../../../../shared/api/routes';
import { decisionStatementBytes } from '../../../../shared/approvals/decision-statement';
import type { approvalCalls } from '../../../../shared/contract/calls/approvals';
import { fail, ok } from '../../../../shared/result';
import type { HandlersOf } from '../dispatcher';
import { type HandlerServices, tenantParams } from './services';

export function approvalHandlers({
  profiles,
  deviceKeys,
  now,
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
      if (!decided.ok) return decided;
      return ok({
        request: decided.value,
        signedStatement: new TextDecoder().decode(bytes),
        deviceKeyId: signer.value.keyId,
      });
    },
  };
}
