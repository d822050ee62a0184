import type { AuditContext } from '../audit/audit-context';
import type { AuditEvent, AuditLog } from '../audit/audit-log';
import { type OrgScope, tenantScope } from '../db/scope';

/**
 * An organization's fact an auditor needs offline: a membership fact (added, invited, role changed,
 * suspended, resumed, removed, elevated, elevation ended) or an access review's step. Written to the
 * organization's live log and, the same entry, to its test log, so that each environment's export alone
 * proves who could decide when. Joins the caller's transaction.
 */
export async function recordInBothLogs(
  auditLog: AuditLog,
  org: OrgScope,
  context: AuditContext,
  event: AuditEvent,
): Promise<void> {
  // Live first: it is where organization-wide events always went, and it keeps its entries as before.
  await auditLog.append(tenantScope(org, 'live'), context, event);
  await auditLog.append(tenantScope(org, 'test'), context, event);
}
