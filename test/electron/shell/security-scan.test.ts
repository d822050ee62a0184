import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  acceptedFindings,
  type Finding,
  isAccepted,
  scanFolder,
  scanShell,
} from '../../../electron/security-scan';

// The real Electronegativity CLI, once over the shipped code and once over a deliberately insecure app.
// Both run at once: offline, each spends most of its ~10 s waiting for network lookups to fail.
let shell: Finding[];
let insecure: Finding[];

beforeAll(async () => {
  [shell, insecure] = await Promise.all([
    scanShell(),
    scanFolder(join(import.meta.dirname, '../../fixtures/electron-insecure')),
  ]);
}, 55_000);

describe('static Electron security scan (Electronegativity)', () => {
  it('finds nothing in the shipped code beyond the reviewed, accepted findings', () => {
    const accepted = acceptedFindings();
    const fresh = shell.filter((f) => !isAccepted(f, accepted)).map((f) => `${f.check} ${f.file}:${f.line}`);
    expect(fresh).toEqual([]);
  });

  it('keeps the accepted list honest: every entry has a reason and still occurs', () => {
    const accepted = acceptedFindings();
    for (const entry of accepted) expect(entry.reason.length, entry.check).toBeGreaterThan(40);
    const stale = accepted.filter((a) => !shell.some((f) => f.check === a.check && f.file === a.file));
    expect(stale).toEqual([]);
  });

  it('does fail on an insecure app: it flags node integration, no isolation, no sandbox and more', () => {
    const checks = new Set(insecure.map((f) => f.check));
    for (const check of [
      'CONTEXT_ISOLATION_JS_CHECK',
      'NODE_INTEGRATION_JS_CHECK',
      'SANDBOX_JS_CHECK',
      'WEB_SECURITY_JS_CHECK',
      'INSECURE_CONTENT_JS_CHECK',
      'LIMIT_NAVIGATION_GLOBAL_CHECK',
      'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK',
      'CSP_GLOBAL_CHECK',
    ])
      expect(checks, check).toContain(check);
    expect(insecure.filter((f) => !isAccepted(f, acceptedFindings())).length).toBeGreaterThan(5);
  });
});
