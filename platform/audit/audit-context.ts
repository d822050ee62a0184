import type { FastifyRequest } from 'fastify';
import type { AuditActor, AuditRequestMeta } from '../../shared/audit/format';
import type { Principal } from '../access/principal';

/** Who did something and through which request: what every audit entry records about its cause. */
export interface AuditContext {
  readonly actor: AuditActor;
  readonly request: AuditRequestMeta | null;
}

export function actorOf(principal: Principal): AuditActor {
  return principal.kind === 'user'
    ? { type: 'user', id: principal.userId }
    : { type: 'api-key', id: principal.keyId };
}

/** Request metadata, bounded and free of anything secret (no headers beyond the user agent, no query). */
export function requestMetaOf(request: FastifyRequest): AuditRequestMeta {
  const agent = request.headers['user-agent'];
  return { id: request.id, ip: request.ip, userAgent: typeof agent === 'string' ? agent.slice(0, 256) : '' };
}

export function auditContextOf(request: FastifyRequest, actor?: AuditActor): AuditContext {
  const principal = request.principal;
  return {
    actor: actor ?? (principal ? actorOf(principal) : { type: 'anonymous', id: 'anonymous' }),
    request: requestMetaOf(request),
  };
}

export const systemContext: AuditContext = { actor: { type: 'system', id: 'platform' }, request: null };
