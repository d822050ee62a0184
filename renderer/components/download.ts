/**
 * Saves data as a file through the browser's own download (a Blob and an <a download>): the renderer
 * has no file system, and nothing has to cross the contract for a file the person already has on screen.
 */
export function downloadFile(fileName: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken its copy by the next task; the URL would otherwise hold the data in memory.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
