import type { ProfileRef, TenantRef } from '../../../../shared/contract/spec';
import type { Result } from '../../../../shared/result';
import type { ExportVerification } from '../../audit/export-verification';
import type { LiveAuditCheck } from '../../audit/live-verification';
import type { LogExports } from '../../audit/log-export';
import type { PackageExports } from '../../audit/package-export';
import type { PackageVerification } from '../../audit/package-verification';
import type { EvidenceCache } from '../../cache/evidence-cache';
import type { DeviceKeys } from '../../device-key/device-key';
import type { EvidenceDownloads } from '../../files/evidence-download';
import type { EvidenceUploads } from '../../files/evidence-upload';
import type { FilePurpose } from '../../files/file-dialogs';
import type { FileGrants } from '../../files/file-grants';
import type { SaveTargets } from '../../files/save-targets';
import type { ProfileSessions } from '../../profiles/profile-sessions';
import type { BrowserSignIn } from '../../sign-in/browser-sign-in';
import type { Vault } from '../../vault/vault';
import type { EventBus } from '../event-bus';

/** What the contract's handlers work with: the main process's services, built once per process. */
export interface HandlerServices {
  readonly vault: Vault;
  readonly profiles: ProfileSessions;
  readonly browserSignIn: BrowserSignIn;
  readonly deviceKeys: DeviceKeys;
  readonly now: () => number;
  readonly defaultPlatformUrl?: string;
  readonly opensBrowser: boolean;
  readonly files: FileGrants;
  readonly evidenceUploads: EvidenceUploads;
  readonly evidenceDownloads: EvidenceDownloads;
  readonly exportVerification: ExportVerification;
  readonly packageExports: PackageExports;
  readonly logExports: LogExports;
  readonly packageVerification: PackageVerification;
  readonly saveTargets: SaveTargets;
  /** Opens a file the console wrote in the system's viewer (Electron); absent in the headless host. */
  readonly openPath?: (path: string) => Promise<void>;
  readonly liveAudit: LiveAuditCheck;
  readonly cache: EvidenceCache;
  readonly events: EventBus;
  /** The system open dialog (Electron); absent in the headless host, where the renderer uploads. */
  readonly chooseFile?: (purpose: FilePurpose) => Promise<string | undefined>;
}

/**
 * Tells every window on the tenant that this console wrote to a request (once the write succeeded), so
 * each refreshes its timeline at once instead of on its next poll.
 */
export function announced<T extends { readonly id: string }>(
  events: EventBus,
  profile: ProfileRef,
  tenant: TenantRef,
  written: Result<T>,
): Result<T> {
  if (written.ok) events.emit('approvals.changed', { profile, tenant, requestId: written.value.id });
  return written;
}

/** A tenant as the platform routes' path parameters name it (shared/api/routes). */
export function tenantParams(tenant: TenantRef): { org: string; env: TenantRef['environment'] } {
  return { org: tenant.organization, env: tenant.environment };
}
