import type { RouteDeclaration } from '../route';
import { apiKeysApi } from './api-keys';
import { approvalsApi, deviceKeysApi, policyApi } from './approvals';
import { auditApi } from './audit';
import { authApi, oauthApi } from './auth';
import { evidenceApi } from './evidence';
import { enrollmentApi, lifecycleApi } from './lifecycle';
import { organizationsApi } from './organizations';
import { reviewsApi } from './reviews';

export {
  apiKeysApi,
  approvalsApi,
  auditApi,
  authApi,
  deviceKeysApi,
  enrollmentApi,
  evidenceApi,
  lifecycleApi,
  oauthApi,
  organizationsApi,
  policyApi,
  reviewsApi,
};

/** Every route the platform serves, by feature; the server registers exactly these (a test holds it to that). */
export const platformRoutes = {
  auth: authApi,
  oauth: oauthApi,
  organizations: organizationsApi,
  apiKeys: apiKeysApi,
  audit: auditApi,
  approvals: approvalsApi,
  policy: policyApi,
  deviceKeys: deviceKeysApi,
  evidence: evidenceApi,
  enrollment: enrollmentApi,
  lifecycle: lifecycleApi,
  reviews: reviewsApi,
} as const;

/** Each declaration with a name ('approvals.decide'), for tests and tables. */
export function namedRoutes(): { name: string; route: RouteDeclaration }[] {
  return Object.entries(platformRoutes).flatMap(([feature, group]) =>
    Object.entries(group).map(([name, route]) => ({ name: `${feature}.${name}`, route })),
  );
}
