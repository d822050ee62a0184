import { open, readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { workerChunkHasher } from '../node-chunk-hasher';
import { nodeAuditCrypto } from '../node-crypto';
import { openExportFile } from '../node-file';
import { parseVerifierKey, type VerifierKey } from '../note';
import { formatPackageReport, packageReportCsv } from '../package/package-report';
import { packageReportHtml } from '../package/package-report-html';
import { MAX_SAMPLE } from '../package/sampling';
import { verifyPackage, ZIP_SIGNATURE } from '../package/verify-package';
import { formatReport } from '../report';
import { verifyExport } from '../verifier';

const usage = `Usage: compliance-verify FILE --key VERIFIER_KEY [--key-file F] [--trusted CHECKPOINT_FILE] [--json]
       compliance-verify PACKAGE.zip --key VERIFIER_KEY [--sample N] [--csv F] [--html F] [--json]

Verifies an audit export, or an audit package (a ZIP, told by its first bytes), offline against the
platform's pinned verifier key(s).
  --key K          a verifier key string (name+id+base64); may be repeated
  --key-file F     a file with one verifier key per line
  --trusted F      checkpoints seen before: one signed note, or JSON lines {"checkpoint": note}
  --json           print the report as one JSON object
  --sample N       (package) draw the verifiable sample of N requests and list its checks
  --csv F          (package) also write the findings as CSV to F
  --html F         (package) also write the self-contained HTML report to F

Exit status: 0 verified, 1 tampered or unverifiable, 2 unusable input.
`;

export interface Io {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
}

/** The auditor's command. Returns the exit status; prints nothing secret (there is nothing secret here). */
export async function verifyCommand(argv: readonly string[], io: Io): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (error) {
    io.stderr.write(`${error instanceof Error ? error.message : 'Bad arguments'}\n\n${usage}`);
    return 2;
  }
  if (args.values.help) {
    io.stdout.write(usage);
    return 0;
  }
  const file = args.positionals[0];
  if (!file || args.positionals.length > 1) {
    io.stderr.write(usage);
    return 2;
  }
  const keyTexts = [...(args.values.key ?? [])];
  if (args.values['key-file']) {
    const content = await readText(args.values['key-file'], io, 'key file');
    if (content === undefined) return 2;
    keyTexts.push(...content.split('\n').filter((l) => l.trim() !== ''));
  }
  const keys: VerifierKey[] = [];
  for (const text of keyTexts) {
    const key = parseVerifierKey(nodeAuditCrypto, text);
    if (!key) {
      io.stderr.write(`Not a verifier key: ${text.slice(0, 80)}\n`);
      return 2;
    }
    keys.push(key);
  }
  if (keys.length === 0) {
    io.stderr.write(`Give at least one --key or --key-file.\n\n${usage}`);
    return 2;
  }
  let trusted: string[] = [];
  if (args.values.trusted) {
    const content = await readText(args.values.trusted, io, 'trusted checkpoint file');
    if (content === undefined) return 2;
    const parsed = parseTrusted(content);
    if (!parsed) {
      io.stderr.write('The trusted checkpoint file holds no signed checkpoint.\n');
      return 2;
    }
    trusted = parsed;
  }

  const sample = args.values.sample === undefined ? undefined : Number(args.values.sample);
  if (sample !== undefined && !(Number.isSafeInteger(sample) && sample >= 1 && sample <= MAX_SAMPLE)) {
    io.stderr.write(`--sample takes a whole number from 1 to ${MAX_SAMPLE}.\n`);
    return 2;
  }
  const kind = await fileKind(file);
  if (kind === undefined) {
    io.stderr.write(`Cannot read ${file}.\n`);
    return 2;
  }
  if (kind === 'package') return verifyPackageFile(file, keys, trusted, sample, args.values, io);
  if (sample !== undefined || args.values.csv || args.values.html) {
    io.stderr.write('--sample, --csv and --html are for audit packages; this file is an export.\n');
    return 2;
  }

  let source: Awaited<ReturnType<typeof openExportFile>>;
  try {
    source = await openExportFile(file);
  } catch {
    io.stderr.write(`Cannot read ${file}.\n`);
    return 2;
  }
  const chunkHasher = workerChunkHasher();
  try {
    const showProgress = !args.values.json && io.stderr.isTTY === true;
    const report = await verifyExport(source, {
      crypto: nodeAuditCrypto,
      keys,
      trusted,
      chunkHasher,
      onProgress: showProgress
        ? ({ bytesRead, totalBytes }) =>
            io.stderr.write(`\rVerifying… ${Math.floor((100 * bytesRead) / Math.max(totalBytes, 1))}%`)
        : undefined,
    });
    if (showProgress) io.stderr.write('\r\x1b[K');
    io.stdout.write(args.values.json ? `${JSON.stringify(report)}\n` : formatReport(report, file));
    if (!report.usable) return 2;
    return report.verdict === 'verified' ? 0 : 1;
  } finally {
    await chunkHasher.close();
    await source.close();
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      key: { type: 'string', multiple: true },
      'key-file': { type: 'string' },
      trusted: { type: 'string' },
      json: { type: 'boolean', default: false },
      sample: { type: 'string' },
      csv: { type: 'string' },
      html: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

/** A package starts with a ZIP local header; anything else is taken for an export. */
async function fileKind(path: string): Promise<'package' | 'export' | undefined> {
  try {
    const handle = await open(path, 'r');
    try {
      const head = Buffer.alloc(4);
      const { bytesRead } = await handle.read(head, 0, 4, 0);
      return bytesRead === 4 && ZIP_SIGNATURE.every((b, i) => head[i] === b) ? 'package' : 'export';
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}

async function verifyPackageFile(
  file: string,
  keys: VerifierKey[],
  trusted: string[],
  sample: number | undefined,
  values: { json?: boolean; csv?: string; html?: string },
  io: Io,
): Promise<number> {
  const chunkHasher = workerChunkHasher();
  try {
    const showProgress = !values.json && io.stderr.isTTY === true;
    const report = await verifyPackage(file, {
      crypto: nodeAuditCrypto,
      keys,
      trusted,
      sample,
      chunkHasher,
      onProgress: showProgress
        ? ({ done, total }) =>
            io.stderr.write(`\rVerifying… ${Math.floor((100 * done) / Math.max(total, 1))}%`)
        : undefined,
    });
    if (showProgress) io.stderr.write('\r\x1b[K');
    const verifiedAt = new Date().toISOString();
    const name = file.split(/[\\/]/).pop() ?? file;
    try {
      if (values.csv) await writeFile(values.csv, packageReportCsv(report, name, verifiedAt));
      if (values.html)
        await writeFile(values.html, packageReportHtml({ fileName: name, verifiedAt, report }));
    } catch {
      io.stderr.write('Cannot write the report file.\n');
      return 2;
    }
    io.stdout.write(values.json ? `${JSON.stringify(report)}\n` : formatPackageReport(report, file));
    if (!report.usable) return 2;
    return report.verdict === 'verified' ? 0 : 1;
  } catch {
    io.stderr.write(`Cannot read ${file}.\n`);
    return 2;
  } finally {
    await chunkHasher.close();
  }
}

async function readText(path: string, io: Io, what: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    io.stderr.write(`Cannot read the ${what} ${path}.\n`);
    return undefined;
  }
}

/** One signed note, or JSON lines of `{"checkpoint": note}` (an export's tail, or saved report lines). */
function parseTrusted(content: string): string[] | undefined {
  if (!content.trimStart().startsWith('{')) return content.includes('\n\n') ? [content] : undefined;
  const notes: string[] = [];
  for (const line of content.split('\n')) {
    if (!line.trim()) continue;
    try {
      const value = JSON.parse(line) as { checkpoint?: unknown; note?: unknown };
      const note = value.checkpoint ?? value.note;
      if (typeof note === 'string') notes.push(note);
    } catch {
      return undefined;
    }
  }
  return notes.length > 0 ? notes : undefined;
}
