import { auditApi } from '../../../../shared/api/routes';
import type { auditCalls } from '../../../../shared/contract/calls/audit';
import { fail, ok } from '../../../../shared/result';
import type { HandlersOf } from '../dispatcher';
import { type HandlerServices, tenantParams } from './services';

export function auditHandlers(services: HandlerServices): HandlersOf<typeof auditCalls> {
  const { files, exportVerification, packageExports, logExports, packageVerification, liveAudit, profiles } =
    services;
  return {
    'audit.entries': async ({ profile, tenant, query }) => {
      const client = await profiles.client(profile);
      if (!client.ok) return client;
      return client.value.call(auditApi.entries, { params: tenantParams(tenant), query });
    },
    'files.chooseExport': async () => {
      if (!services.chooseFile)
        return fail(
          'bad-request',
          'This console takes the file through its page; use the file picker there.',
        );
      const path = await services.chooseFile('audit-export');
      if (!path) return ok({ file: null });
      const granted = await files.grantPath(path);
      return granted.ok ? ok({ file: granted.value }) : granted;
    },
    'audit.verifierKeys': async ({ profile }) => {
      const client = await profiles.client(profile);
      return client.ok ? client.value.call(auditApi.verifierKeys, {}) : client;
    },
    'audit.verifyExport': (input) => exportVerification.verify(input),
    'audit.cancel': async ({ taskId }) =>
      ok({
        cancelled:
          exportVerification.cancel(taskId) ||
          packageExports.cancel(taskId) ||
          logExports.cancel(taskId) ||
          packageVerification.cancel(taskId),
      }),
    'audit.verifyLive': ({ profile, tenant }) => liveAudit.verify(profile, tenant),
  };
}
