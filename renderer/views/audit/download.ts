/**
 * Saves text as a file through the browser's own download (a Blob and an <a download>): the renderer
 * has no file system, and nothing has to cross the contract for a file the person already has on screen.
 */
export function downloadText(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken its copy by the next task; the URL would otherwise hold the text in memory.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** A file name made from another (an export's), safe on every system. */
export function fileStem(name: string): string {
  const stem = name.replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '_');
  return stem.slice(0, 100) || 'audit-export';
}
