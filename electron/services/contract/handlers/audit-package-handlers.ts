import type { auditPackageCalls } from '../../../../shared/contract/calls/audit-package';
import { fail, ok } from '../../../../shared/result';
import type { HandlersOf } from '../dispatcher';
import type { HandlerServices } from './services';

/** The path under which the headless host shows a saved report (headless-host.ts). */
export const REPORT_PAGE = '/reports/';

export function auditPackageHandlers(services: HandlerServices): HandlersOf<typeof auditPackageCalls> {
  const { packageExports, logExports, packageVerification, files } = services;
  return {
    'audit.exportPackage': (input) => packageExports.export(input),
    'audit.exportLog': (input) => logExports.export(input),
    'audit.verifyPackage': (input) => packageVerification.verify(input),
    'audit.openReport': async ({ fileId }) => {
      const report = files.getReport(fileId);
      if (!report) return fail('not-found', 'Verify the file again to make its report.');
      if (!services.openPath) return ok({ opened: 'page', url: `${REPORT_PAGE}${fileId}` });
      await services.openPath(report.path);
      return ok({ opened: 'system' });
    },
  };
}
