import { downloadFile } from '../../components/download';

export function downloadText(fileName: string, text: string, type: string): void {
  downloadFile(fileName, text, type);
}

/** A file name made from another (an export's), safe on every system. */
export function fileStem(name: string): string {
  const stem = name.replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '_');
  return stem.slice(0, 100) || 'audit-export';
}
