import { ok } from '../../../../shared/result';
import { keychainStatus } from '../../vault/keychain-status';
import type { Handlers } from '../dispatcher';
import { apiKeyHandlers } from './api-key-handlers';
import { approvalHandlers } from './approval-handlers';
import { auditHandlers } from './audit-handlers';
import { auditPackageHandlers } from './audit-package-handlers';
import { deviceHandlers } from './device-handlers';
import { evidenceHandlers } from './evidence-handlers';
import { fileHandlers } from './file-handlers';
import { lifecycleHandlers, reviewHandlers } from './lifecycle-handlers';
import { memberHandlers } from './member-handlers';
import type { HandlerServices } from './services';
import { sessionHandlers } from './session-handlers';
import { tenantHandlers } from './tenant-handlers';

/** The contract's handlers over the main process's services, one module per feature. */
export function createHandlers(services: HandlerServices): Handlers {
  return {
    'app.info': async () =>
      ok({
        defaultPlatformUrl: services.defaultPlatformUrl ?? null,
        opensBrowser: services.opensBrowser,
        choosesFiles: services.chooseFile !== undefined,
        savesWithDialog: services.saveTargets.hasDialog,
      }),
    'app.keychain': async () => ok(await keychainStatus(services.vault)),
    ...sessionHandlers(services),
    ...tenantHandlers(services),
    ...apiKeyHandlers(services),
    ...approvalHandlers(services),
    ...auditHandlers(services),
    ...auditPackageHandlers(services),
    ...deviceHandlers(services),
    ...evidenceHandlers(services),
    ...fileHandlers(services),
    ...memberHandlers(services),
    ...lifecycleHandlers(services),
    ...reviewHandlers(services),
  };
}
