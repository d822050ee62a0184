const units = ['KiB', 'MiB', 'GiB', 'TiB'] as const;

/** Sizes in the same binary units the quota is typed in, so "256 MiB" means the same in both places. */
export function binarySize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${shown} ${units[unit]}`;
}
