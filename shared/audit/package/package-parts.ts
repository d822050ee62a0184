import { crc32 } from 'node:zlib';
import type { z } from 'zod';
import type { ExportSource } from '../export-source';
import type { FindingList } from '../findings';
import type { AnyFindingClass } from '../report';
import { ManifestFile, ManifestHeader } from './format';
import type { PackageEntry } from './zip-layout';

/** Reading the package's small parts (manifest, announcements, references): bounded, parsed by zod. */

export interface PackageFile {
  /** Random access to a file inside the package, with the archive's own handle. */
  source(entry: PackageEntry): ExportSource;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

export async function readSmall(
  source: ExportSource,
  maxBytes: number,
): Promise<{ text: string; bytes: Uint8Array } | undefined> {
  if (source.size > maxBytes) return undefined;
  const bytes = await source.read(0, source.size);
  try {
    return { text: decoder.decode(bytes), bytes };
  } catch {
    return undefined;
  }
}

/** A JSON part checked by its schema; a finding and undefined when it is not what it must be. */
export async function readJsonPart<T extends z.ZodType>(
  source: ExportSource | undefined,
  path: string,
  maxBytes: number,
  schema: T,
  findings: FindingList<AnyFindingClass>,
): Promise<z.output<T> | undefined> {
  if (!source) return undefined;
  const read = await readSmall(source, maxBytes);
  let value: unknown;
  try {
    value = read ? JSON.parse(read.text) : undefined;
  } catch {
    value = undefined;
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  findings.add({ class: 'manifest-mismatch', path, message: `${path} is not in the package format` });
  return undefined;
}

export interface Manifest {
  readonly header: ManifestHeader | undefined;
  readonly files: Map<string, ManifestFile>;
}

/**
 * The manifest: its CRC-32 (from the archive) first, since nothing else covers its bytes; then a header
 * line and one line per file, each checked by its schema.
 */
export async function readManifest(
  source: ExportSource | undefined,
  entry: PackageEntry | undefined,
  maxBytes: number,
  findings: FindingList<AnyFindingClass>,
): Promise<Manifest> {
  const path = 'manifest.jsonl';
  const files = new Map<string, ManifestFile>();
  const problem = (message: string): Manifest => {
    findings.add({ class: 'manifest-mismatch', path, message });
    return { header: undefined, files };
  };
  if (!source || !entry) return problem('the package has no manifest');
  const read = await readSmall(source, maxBytes);
  if (!read) return problem('the manifest is too large or not UTF-8');
  if (crc32(read.bytes) !== entry.crc32) return problem("the manifest's bytes do not match its CRC-32");
  const lines = read.text.split('\n');
  if (lines.pop() !== '') return problem('the manifest does not end with a newline');
  const json = (line: string): unknown => {
    try {
      return JSON.parse(line);
    } catch {
      return undefined;
    }
  };
  const header = ManifestHeader.safeParse(json(lines[0] ?? ''));
  if (!header.success) return problem('the manifest has no valid header line');
  lines.slice(1).forEach((line, index) => {
    const file = ManifestFile.safeParse(json(line));
    if (!file.success) {
      findings.add({ class: 'manifest-mismatch', path, line: index + 2, message: 'not a file line' });
    } else if (files.has(file.data.path)) {
      findings.add({ class: 'manifest-mismatch', path: file.data.path, message: 'listed twice' });
    } else files.set(file.data.path, file.data);
  });
  if (header.data.files !== lines.length - 1)
    findings.add({
      class: 'manifest-mismatch',
      path,
      message: 'the manifest counts another number of files',
    });
  return { header: header.data, files };
}
