// `npm run scan:electron`: Electronegativity over the code that runs in the app (main process, preload,
// renderer, and the shared code both bundle), judged against `security-scan-accepted.json`. The unit test
// in test/electron/shell/security-scan.test.ts runs the same scan.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { withCspMeta } from './services/host/renderer-assets';

const root = join(import.meta.dirname, '..');
const require = createRequire(import.meta.url);

/** The folders whose code ships in the app. Tests, fixtures, the platform and build output stay out. */
export const SCANNED_FOLDERS = ['electron', 'renderer', 'shared'] as const;

export interface Finding {
  readonly check: string;
  /** Relative to the scanned folder; "N/A" for whole-app (global) checks. */
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

const AcceptedFinding = z.strictObject({
  check: z.string().regex(/^[A-Z0-9_]+$/),
  file: z.string().min(1),
  reason: z.string().min(1),
});
export type AcceptedFinding = z.infer<typeof AcceptedFinding>;

export function acceptedFindings(): AcceptedFinding[] {
  const text = readFileSync(join(root, 'electron/security-scan-accepted.json'), 'utf8');
  return z.object({ accepted: z.array(AcceptedFinding) }).parse(JSON.parse(text)).accepted;
}

export function isAccepted(finding: Finding, accepted: readonly AcceptedFinding[]): boolean {
  return accepted.some((a) => a.check === finding.check && a.file === finding.file);
}

/**
 * A copy of the shipped folders in a temp dir, since the tool takes one input folder and would otherwise
 * walk node_modules and the deliberately insecure test fixtures. No package.json goes in: the Electron
 * version is given with `-e`, which keeps results independent of whether the release feed is reachable.
 */
export function prepareShellInput(): { dir: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'cc-scan-input-'));
  for (const folder of SCANNED_FOLDERS) cpSync(join(root, folder), join(dir, folder), { recursive: true });
  // The page as the build ships it, with the CSP meta tag the build adds (vite.config.ts).
  const page = join(dir, 'renderer/index.html');
  writeFileSync(page, withCspMeta(readFileSync(page, 'utf8')));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

interface SarifLog {
  runs: {
    results: {
      ruleId: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
    }[];
  }[];
}

/**
 * Runs the real tool's CLI on a folder. SARIF rather than CSV: the tool writes its CSV header and rows
 * with two racing async writes, while SARIF is one write. Offline, the tool prints that it could not
 * fetch translations or Electron's release list; neither changes the checks that run.
 */
export async function scanFolder(input: string): Promise<Finding[]> {
  const cli = join(dirname(require.resolve('@doyensec/electronegativity/package.json')), 'dist/index.js');
  const electronVersion = (require('electron/package.json') as { version: string }).version;
  const outDir = mkdtempSync(join(tmpdir(), 'cc-scan-out-'));
  const output = join(outDir, 'findings.sarif');
  try {
    const offline = join(import.meta.dirname, 'security-scan-offline.cjs');
    const args = ['--require', offline, cli, '-i', input, '-r', '-e', electronVersion, '-o', output];
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      // The tool takes its locale from LANG; English keeps messages stable whatever the machine's is.
      env: { ...process.env, LANG: 'en-US' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.resume();
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    if (code !== 0) throw new Error(`electronegativity exited with ${code}: ${stderr.trim()}`);
    const log = JSON.parse(readFileSync(output, 'utf8')) as SarifLog;
    return log.runs.flatMap((run) =>
      run.results.map((result) => {
        const location = result.locations[0]?.physicalLocation;
        const uri = location?.artifactLocation.uri ?? 'file:///';
        return {
          check: result.ruleId,
          file: uri === 'file:///' ? 'N/A' : uri,
          line: location?.region.startLine ?? 0,
          message: result.message.text,
        };
      }),
    );
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

export async function scanShell(): Promise<Finding[]> {
  const input = prepareShellInput();
  try {
    return await scanFolder(input.dir);
  } finally {
    input.dispose();
  }
}

async function main(): Promise<number> {
  const accepted = acceptedFindings();
  const findings = await scanShell();
  for (const f of findings) {
    const status = isAccepted(f, accepted) ? 'accepted' : 'NEW     ';
    process.stdout.write(`${status} ${f.check} ${f.file}:${f.line} ${f.message}\n`);
  }
  const fresh = findings.filter((f) => !isAccepted(f, accepted));
  const stale = accepted.filter((a) => !findings.some((f) => f.check === a.check && f.file === a.file));
  for (const a of stale) process.stdout.write(`stale    ${a.check} ${a.file}: no longer found; remove it\n`);
  process.stdout.write(
    `${findings.length} findings, ${fresh.length} not accepted, ${stale.length} stale acceptances.\n`,
  );
  return fresh.length === 0 && stale.length === 0 ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = await main();
