import type { FastifyInstance } from 'fastify';

/** One route as the server declared it: the method and the URL pattern (e.g. `/v1/orgs/:org`). */
export interface DeclaredRoute {
  readonly method: string;
  readonly url: string;
}

const tables = new WeakMap<object, DeclaredRoute[]>();

/**
 * Records every route declared on `app` from now on (through an `onRoute` hook), so the server's own
 * route table can be read back, e.g. by tests that must cover every route. Call it before any route.
 */
export function recordRoutes(app: FastifyInstance): void {
  const routes: DeclaredRoute[] = [];
  tables.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
}

/** The routes declared on `app` since `recordRoutes(app)`. */
export function routeTableOf(app: FastifyInstance): readonly DeclaredRoute[] {
  const routes = tables.get(app);
  if (!routes) throw new Error('This server does not record its routes');
  return routes;
}
