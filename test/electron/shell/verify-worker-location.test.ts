import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { verifyWorkerUrl } from '../../../electron/shell/verify-worker-location';

describe("the audit verifier's worker in the packaged app", () => {
  it('is the bundle beside main, inside app.asar (never app.asar.unpacked), so the asar integrity check covers it', () => {
    const mainDir = '/opt/Compliance Console/resources/app.asar/dist/electron';
    const url = verifyWorkerUrl(mainDir);
    expect(url.protocol).toBe('file:');
    expect(fileURLToPath(url)).toBe(`${mainDir}/verify-worker.cjs`);
    expect(url.href).not.toContain('unpacked');
  });

  it('is the bundle beside main when the shell runs unpacked from dist/electron', () => {
    expect(fileURLToPath(verifyWorkerUrl('/src/console/dist/electron'))).toBe(
      '/src/console/dist/electron/verify-worker.cjs',
    );
  });
});
