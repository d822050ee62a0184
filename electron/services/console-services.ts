import { rmSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { ContractReply } from '../../shared/contract/contract';
import { DroppedFiles, DroppedPaths, MAX_DROPPED_FILES } from '../../shared/contract/dropped-files';
import { fail, ok } from '../../shared/result';
import { ExportVerification } from './audit/export-verification';
import { LiveAuditCheck } from './audit/live-verification';
import { LogExports } from './audit/log-export';
import { PackageExports } from './audit/package-export';
import { PackageVerification } from './audit/package-verification';
import { PartialFiles } from './audit/partial-files';
import { EvidenceCache } from './cache/evidence-cache';
import { Dispatcher } from './contract/dispatcher';
import { EventBus } from './contract/event-bus';
import { createHandlers } from './contract/handlers/handlers';
import { DeviceKeys } from './device-key/device-key';
import { EvidenceDownloads } from './files/evidence-download';
import { EvidenceUploads } from './files/evidence-upload';
import type { FilePurpose } from './files/file-dialogs';
import { FileGrants } from './files/file-grants';
import { type ChooseSavePath, SaveTargets } from './files/save-targets';
import { logLine } from './log-line';
import { ProfileSessions } from './profiles/profile-sessions';
import { BrowserSignIn } from './sign-in/browser-sign-in';
import { Vault } from './vault/vault';

export interface ConsoleServicesOptions {
  /** Where the console keeps its own files (the evidence cache); secrets go to the keychain instead. */
  readonly dataDir: string;
  /**
   * Opens a URL in the system browser (Electron's shell.openExternal after its https check). The
   * headless host has none: the renderer opens the URL it is given.
   */
  readonly openExternal?: (url: string) => Promise<void>;
  /** The system open dialog (Electron); without it the renderer uploads files to the headless host. */
  readonly chooseFile?: (purpose: FilePurpose) => Promise<string | undefined>;
  /** The system save dialog (Electron); without it files are saved in the console's own folder. */
  readonly chooseSavePath?: ChooseSavePath;
  /** Opens a file the console wrote (a report) in the system's viewer (Electron's shell.openPath). */
  readonly openPath?: (path: string) => Promise<void>;
  /**
   * One line per unexpected failure; it carries the error's own words (scrubbed of credentials), never
   * call inputs or outputs.
   */
  readonly log?: (line: string) => void;
  /** The keychain under another service name (tests keep theirs apart); the app's by default. */
  readonly vault?: Vault;
  readonly now?: () => number;
  /** The platform the sign-in screen suggests (the embedded demo platform under `npm start`). */
  readonly defaultPlatformUrl?: string;
  /** The audit verifier's worker: the bundled file in the packaged app, the tsx bootstrap from source. */
  readonly verifyWorkerUrl?: URL;
  readonly cacheQuotaBytes?: number;
}

export interface ConsoleServices {
  readonly dispatcher: Dispatcher;
  readonly events: EventBus;
  readonly files: FileGrants;
  readonly cache: EvidenceCache;
  /** What the desktop app's preload sends for files dropped on the window (see `IPC_DROP_CHANNEL`). */
  grantDroppedPaths(paths: unknown): Promise<ContractReply>;
  close(): Promise<void>;
}

/** The main process's services, whatever shell carries them: the Electron app or the headless host. */
export function createConsoleServices(options: ConsoleServicesOptions): ConsoleServices {
  if (!isAbsolute(options.dataDir)) throw new Error('The console needs an absolute data directory.');
  const sink = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const log = (line: string) => sink(logLine(line));
  const now = options.now ?? Date.now;
  const events = new EventBus();
  const vault = options.vault ?? new Vault();
  const cache = EvidenceCache.open({
    file: join(options.dataDir, 'evidence-cache.sqlite'),
    vault,
    quotaBytes: options.cacheQuotaBytes,
  });
  if (!cache.ok) throw new Error(`The evidence cache cannot be opened: ${cache.error.message}`);
  // A remote revocation shreds the profile's cached evidence: its data keys go first, then the blobs.
  const profiles = new ProfileSessions(vault, async (profile) => {
    events.emit('session.expired', { profile });
    await cache.value.shredProfile(profile);
  });
  const deviceKeys = new DeviceKeys(vault);
  // Uploads are temporary: whatever a previous run left behind (a crash) goes before anything starts.
  rmSync(join(options.dataDir, 'uploads'), { recursive: true, force: true });
  const files = new FileGrants(join(options.dataDir, 'uploads'));
  // Likewise any package a crash left half-written where the person chose to save it.
  const partials = new PartialFiles(options.dataDir);
  partials.sweep();
  // The headless host's only place to save; Electron asks with the system dialog instead.
  const saveTargets = new SaveTargets(join(options.dataDir, 'saved'), options.chooseSavePath);
  const exportDeps = { profiles, files, events, partials, targets: saveTargets, now };
  const workerUrl =
    options.verifyWorkerUrl ?? new URL('./audit/verify-worker-bootstrap.mjs', import.meta.url);
  const handlers = createHandlers({
    vault,
    profiles,
    browserSignIn: new BrowserSignIn(profiles, deviceKeys, options.openExternal),
    deviceKeys,
    now,
    defaultPlatformUrl: options.defaultPlatformUrl,
    opensBrowser: options.openExternal !== undefined,
    files,
    evidenceUploads: new EvidenceUploads(files, profiles, events),
    evidenceDownloads: new EvidenceDownloads(cache.value, profiles, events),
    exportVerification: new ExportVerification(files, events, workerUrl, now),
    packageExports: new PackageExports(exportDeps),
    logExports: new LogExports(exportDeps),
    packageVerification: new PackageVerification(files, events, now),
    saveTargets,
    openPath: options.openPath,
    liveAudit: new LiveAuditCheck(profiles, cache.value, events),
    chooseFile: options.chooseFile,
    cache: cache.value,
    events,
  });
  const dispatcher = new Dispatcher(handlers, (name, error) =>
    log(`Console call ${name} failed: ${error instanceof Error ? error.message : 'unknown error'}`),
  );
  // A master-key rotation cut short by a crash is finished before anything reads the cache.
  void cache.value.resumeRotations();
  return {
    dispatcher,
    events,
    files,
    cache: cache.value,
    grantDroppedPaths: async (paths) => {
      const parsed = DroppedPaths.safeParse(paths);
      if (!parsed.success) return fail('bad-request', `Drop at most ${MAX_DROPPED_FILES} files at once.`);
      return ok(DroppedFiles.parse(await files.grantDropped(parsed.data)));
    },
    close: async () => {
      await files.releaseAll();
      cache.value.close();
    },
  };
}
