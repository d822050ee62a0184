import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { workerChunkHasher } from '../node-chunk-hasher';
import { nodeAuditCrypto } from '../node-crypto';
import { openExportFile } from '../node-file';
import { parseVerifierKey, type VerifierKey } from '../note';
import { formatReport } from '../report';
import { verifyExport } from '../verifier';

const usage = `Usage: compliance-verify FILE --key VERIFIER_KEY [--key-file F] [--trusted CHECKPOINT_FILE] [--json]

Verifies an audit export offline against the platform's pinned verifier key(s).
  --key K          a verifier key string (name+id+base64); may be repeated
  --key-file F     a file with one verifier key per line
  --trusted F      checkpoints seen before: one signed note, or JSON lines {"checkpoint": note}
  --json           print the report as one JSON object

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
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
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
