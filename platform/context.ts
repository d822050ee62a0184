import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { AccessControl } from './access/access-control';
import { Authentication } from './access/authentication';
import { AuditLog } from './audit/audit-log';
import { AuditService } from './audit/audit-service';
import { AuditSigningKeys } from './audit/signing-keys';
import { AccessTokens } from './auth/access-tokens';
import { Sessions } from './auth/sessions';
import { type Clock, systemClock } from './clock';
import { FileMasterKeys, type MasterKeyProvider } from './crypto/master-keys';
import { SealedBox } from './crypto/sealed-box';
import { DataDir } from './data-dir';
import { type Database, openSqliteDatabase } from './db/database';
import { applicationRoleProblems, isPostgresUrl, openPostgresDatabase } from './db/postgres';
import { createStores, type Stores } from './db/stores';
import { type BlobStore, DatabaseBlobStore, FileBlobStore } from './evidence/blob-store';
import { DownloadUrlSigner } from './evidence/download-urls';
import { TenantDataKeys } from './evidence/tenant-data-keys';
import { ApiKeyService } from './keys/api-key-service';
import { createMailer } from './mail/create-mailer';
import { Deliveries } from './mail/deliveries';
import type { Mailer } from './mail/mailer';
import { PublicOrigin } from './mail/public-origin';
import { OAuthService } from './oauth/oauth-service';
import type { WebhookTargetRules } from './webhooks/webhook-target';

/** Everything a request handler may use, wired once per server from a data directory. */
export interface PlatformContext {
  readonly dataDir: DataDir;
  readonly clock: Clock;
  readonly stores: Stores;
  readonly sealedBox: SealedBox;
  readonly sessions: Sessions;
  readonly authentication: Authentication;
  readonly access: AccessControl;
  readonly apiKeys: ApiKeyService;
  readonly auditKeys: AuditSigningKeys;
  readonly auditLog: AuditLog;
  readonly audit: AuditService;
  readonly blobs: BlobStore;
  /** What wraps the tenants' data keys: a key file in the data directory (a KMS later, same interface). */
  readonly masterKeys: MasterKeyProvider;
  /** Each tenant's evidence data key, unwrapped on first use. */
  readonly evidenceKeys: TenantDataKeys;
  readonly urlSigner: DownloadUrlSigner;
  /** The desktop sign-in's codes and token exchange, and the key its ID tokens are signed with. */
  readonly oauth: OAuthService;
  readonly oauthTokens: AccessTokens;
  /** Where webhooks may point: public https only, unless started for development with private targets. */
  readonly webhookTargets: WebhookTargetRules;
  /** Where invitations are sent: the data directory's outbox, or an SMTP server (--smtp-url). */
  readonly mailer: Mailer;
  /** Mail being sent after its transaction committed. */
  readonly outgoingMail: Deliveries;
  /** The origin of links sent by mail; set by the server (buildServer). */
  readonly publicOrigin: PublicOrigin;
  close(): Promise<void>;
}

export interface ContextOptions {
  readonly clock?: Clock;
  /** The platform's public host name; it names every audit log's origin and its signing key. */
  readonly host?: string;
  /**
   * Development only: lets webhook targets be http and on this machine or a private network (a platform
   * and its receiver on one computer). Off unless the operator starts the platform with it.
   */
  readonly allowPrivateWebhookTargets?: boolean;
  /** Another master key provider than the data directory's key file (a KMS). */
  readonly masterKeys?: MasterKeyProvider;
  /** Send mail through this SMTP server (smtp:// or smtps://, credentials in the URL) instead of the outbox. */
  readonly smtpUrl?: string;
  /** The origin links sent by mail name, when known before a server listens (the demo's seed). */
  readonly publicOrigin?: string;
  /**
   * A postgres:// URL (the application role, see README): the platform's rows and evidence bytes go there,
   * and the data directory holds only the key files, which every process on that database must share.
   * Without it, the data directory's SQLite file.
   */
  readonly database?: string;
}

export const DEFAULT_PLATFORM_HOST = 'compliance.localhost';

/**
 * The platform's database: PostgreSQL as the application role, checked (not migrated: that is the owner's
 * `migrate`), or the data directory's SQLite file, migrated to the newest schema.
 */
async function openPlatformDatabase(dataDir: DataDir, database: string | undefined): Promise<Database> {
  if (database === undefined) return openSqliteDatabase(dataDir.databaseFile);
  if (!isPostgresUrl(database)) throw new Error('--database must be a postgres:// URL.');
  const db = openPostgresDatabase({ url: database });
  try {
    const problems = await applicationRoleProblems(db);
    if (problems.length > 0) throw new Error(`Refusing to start on this database: ${problems.join('; ')}.`);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

/** Opens the platform's database and wires the services. */
export async function createContext(
  dataPath: string,
  options: ContextOptions = {},
): Promise<PlatformContext> {
  const clock = options.clock ?? systemClock;
  const host = options.host ?? DEFAULT_PLATFORM_HOST;
  const dataDir = new DataDir(dataPath);
  const db = await openPlatformDatabase(dataDir, options.database);
  const stores = createStores(db);
  const sealedBox = new SealedBox(dataDir.secretFile('seal.key', () => randomBytes(32)));
  const tokens = new AccessTokens(dataDir);
  const auditKeys = new AuditSigningKeys(dataDir, host);
  const auditLog = new AuditLog(stores, auditKeys, clock, host);
  const apiKeys = new ApiKeyService(stores, auditLog, clock);
  const sessions = new Sessions(stores, tokens, sealedBox, auditLog, clock);
  const masterKeys = options.masterKeys ?? new FileMasterKeys(dataDir);
  const outgoingMail = new Deliveries();
  const publicOrigin = new PublicOrigin();
  if (options.publicOrigin) publicOrigin.set(options.publicOrigin);
  return {
    dataDir,
    clock,
    stores,
    sealedBox,
    sessions,
    authentication: new Authentication(stores, tokens, apiKeys, auditLog, clock),
    access: new AccessControl(stores, clock),
    apiKeys,
    auditKeys,
    auditLog,
    audit: new AuditService(stores, auditLog),
    blobs:
      options.database === undefined
        ? new FileBlobStore(join(dataDir.path, 'evidence-sealed'), db)
        : new DatabaseBlobStore(stores.evidenceBlobs),
    masterKeys,
    evidenceKeys: new TenantDataKeys(stores, masterKeys, clock),
    urlSigner: new DownloadUrlSigner(dataDir.secretFile('url-signing.key', () => randomBytes(32))),
    oauth: new OAuthService(stores, sessions, tokens, clock),
    oauthTokens: tokens,
    webhookTargets: { allowPrivate: options.allowPrivateWebhookTargets === true },
    mailer: createMailer(dataDir, host, options.smtpUrl),
    outgoingMail,
    publicOrigin,
    // Mail decided before closing is still sent (and its sending recorded) first.
    close: async () => {
      await outgoingMail.idle();
      await db.close();
    },
  };
}
