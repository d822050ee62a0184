import formbody from '@fastify/formbody';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { enrollmentApi, lifecycleApi } from '../../shared/api/routes/lifecycle';
import { auditContextOf, requestMetaOf } from '../audit/audit-context';
import type { PlatformContext } from '../context';
import { serve } from '../http/declared-routes';
import { type Guards, orgAccessOf, principalOf } from '../http/guards';
import { orReply } from '../http/problem';
import type { RouteLimits } from '../http/server';
import { enrolledPage, enrollmentPage, enrollmentPageHeaders, refusedLinkPage } from './enrollment-page';
import { InvitationService, LinkSpent, MIN_PASSWORD_LENGTH, type ResolvedLink } from './invitation-service';

type Fields = Record<string, string | string[]>;

/** One value of a form or query field; a repeated or missing field is none. */
function field(fields: Fields | undefined, name: string): string | undefined {
  const value = fields?.[name];
  return typeof value === 'string' ? value : undefined;
}

function send(reply: FastifyReply, status: number, html: string) {
  return reply.status(status).headers(enrollmentPageHeaders).send(html);
}

/**
 * A form sent from another site. The page's own form arrives with `Origin: null` (its referrer policy is
 * no-referrer, so browsers hide the origin) and `Sec-Fetch-Site: same-origin`; anything a browser marks as
 * from elsewhere, or that names another origin, is refused. Without fetch metadata, only a form that names
 * this very origin is taken: `Origin: null` alone, or nothing, says nothing about where it came from.
 */
export function sentFromElsewhere(request: FastifyRequest, ours: string): boolean {
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== 'null' && origin !== ours) return true;
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  return origin !== ours;
}

/** The refusal page for a link that does not open (404 for an unknown one, 410 for one spent). */
function refuse(reply: FastifyReply, link: ResolvedLink | undefined) {
  if (!link) return send(reply, 404, refusedLinkPage('unknown'));
  return send(reply, 410, refusedLinkPage(link.state === 'open' ? 'used' : link.state));
}

/**
 * The enrollment page (public: the link's secret is the credential) and the invitations of an
 * organization. `publicOrigin` names the platform's origin as the OAuth routes do; a form sent from any
 * other origin is refused (the page has no cookies to ride on, but nothing else may post to it).
 */
export function invitationRoutes(
  ctx: PlatformContext,
  guards: Guards,
  limits: RouteLimits,
  publicOrigin: string | undefined,
): FastifyPluginAsyncZod {
  const invitations = new InvitationService(ctx);
  const rateLimit = { max: limits.signIn.max, timeWindow: limits.signIn.timeWindowMs };
  const originOf = (request: FastifyRequest) => publicOrigin ?? `${request.protocol}://${request.host}`;

  return async (app) => {
    await app.register(formbody, { bodyLimit: 16 * 1024 });

    serve(app, enrollmentApi.page, { attachValidation: true }, async (request, reply) => {
      const token = request.validationError ? undefined : field(request.query, 'token');
      const link = token ? await invitations.resolve(token) : undefined;
      if (!token || link?.state !== 'open') return refuse(reply, link);
      // Each visit of a new person's page mints its own seed and nonce; earlier visits' stop counting.
      const visit = link.existingUser ? undefined : await invitations.visit(link);
      return send(reply, 200, await enrollmentPage(link, token, visit));
    });

    serve(
      app,
      enrollmentApi.submit,
      { config: { rateLimit }, attachValidation: true },
      async (request, reply) => {
        if (sentFromElsewhere(request, originOf(request)))
          return send(reply, 403, refusedLinkPage('cross-site'));
        const body = request.validationError ? undefined : request.body;
        const token = field(body, 'token');
        const link = token ? await invitations.resolve(token) : undefined;
        if (!token || link?.state !== 'open') return refuse(reply, link);
        // A new person's form counts only with the nonce of the page's latest visit: its seed is theirs.
        const visit = link.existingUser ? undefined : invitations.visitOf(link, field(body, 'nonce'));
        if (!link.existingUser && !visit) return send(reply, 409, refusedLinkPage('reopened'));
        const password = field(body, 'password') ?? '';
        const totp = field(body, 'totp') ?? '';
        const again = (status: number, error: string) =>
          enrollmentPage(link, token, visit, error).then((html) => send(reply, status, html));
        if (!/^[0-9]{6}$/.test(totp)) return again(400, 'Enter the 6-digit code your authenticator shows.');
        if (password.length === 0 || password.length > 1024) return again(400, 'Enter your password.');
        if (!link.existingUser) {
          if (password.length < MIN_PASSWORD_LENGTH)
            return again(400, `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`);
          if (field(body, 'confirm') !== password) return again(400, 'The two passwords differ.');
          if (password.toLowerCase() === link.row.email.toLowerCase())
            return again(400, 'Choose a password other than your e-mail address.');
        }
        try {
          const input = { password, totp };
          const meta = requestMetaOf(request);
          const enrolled = visit
            ? await invitations.enrollNew(link, visit, input, meta)
            : await invitations.enrollExisting(link, input, meta);
          if (!enrolled.ok)
            return again(enrolled.error.code === 'conflict' ? 409 : 401, enrolled.error.message);
        } catch (error) {
          if (error instanceof LinkSpent) return send(reply, 410, refusedLinkPage('used'));
          throw error;
        }
        return send(reply, 200, enrolledPage(link.organizationName, link.row.email));
      },
    );

    serve(app, lifecycleApi.invitations, { onRequest: guards.org('members:read') }, async (request) => ({
      invitations: await invitations.list(orgAccessOf(request).scope, request.query.status === 'pending'),
    }));

    serve(
      app,
      lifecycleApi.revokeInvitation,
      { onRequest: guards.org('members:manage') },
      async (request) => {
        const principal = principalOf(request);
        const by = principal.kind === 'user' ? principal.userId : principal.keyId;
        return orReply(
          await invitations.revoke(
            orgAccessOf(request).scope,
            request.params.invitationId,
            by,
            auditContextOf(request),
          ),
        );
      },
    );
  };
}
