import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeTableOf } from '../../../platform/http/route-table';
import { pathParamNames } from '../../../shared/api/route';
import { namedRoutes } from '../../../shared/api/routes';
import { startPlatform, type TestPlatform } from '../../helpers/platform';

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(() => platform.stop());

const key = (method: string, path: string) => `${method} ${path}`;

describe('route declarations (shared/api/routes) and the server', () => {
  it('the server serves every declared route, and no route that is not declared', () => {
    const registered = routeTableOf(platform.app);
    const gets = new Set(registered.filter((r) => r.method === 'GET').map((r) => r.url));
    // Fastify answers HEAD for every GET by itself; those are not routes of their own.
    const served = registered
      .filter((r) => !(r.method === 'HEAD' && gets.has(r.url)))
      .map((r) => key(r.method, r.url));
    const declared = namedRoutes().map(({ route }) => key(route.method, route.path));
    expect(served.length).toBeGreaterThan(40);
    expect([...new Set(served)].sort()).toEqual([...new Set(declared)].sort());
  });

  it('declares each method and path once', () => {
    const declared = namedRoutes().map(({ route }) => key(route.method, route.path));
    expect(declared.length).toBe(new Set(declared).size);
  });

  it('each parameter schema takes exactly the parameters its path names', () => {
    for (const { name, route } of namedRoutes()) {
      const inPath = pathParamNames(route.path).sort();
      const shape = (route.params as { shape?: Record<string, unknown> } | undefined)?.shape ?? {};
      expect([name, Object.keys(shape).sort()]).toEqual([name, inPath]);
    }
  });
});
