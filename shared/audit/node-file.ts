import { open } from 'node:fs/promises';
import type { ExportSource } from './export-source';

/** An export file on disk as a random-access source. Close it when done. */
export async function openExportFile(path: string): Promise<ExportSource & { close(): Promise<void> }> {
  const handle = await open(path, 'r');
  const { size } = await handle.stat();
  return {
    size,
    async read(offset, length) {
      const buffer = Buffer.allocUnsafe(length);
      const { bytesRead } = await handle.read(buffer, 0, length, offset);
      return buffer.subarray(0, bytesRead);
    },
    async readInto(target, at, length, position) {
      return (await handle.read(target, at, length, position)).bytesRead;
    },
    close: () => handle.close(),
  };
}
