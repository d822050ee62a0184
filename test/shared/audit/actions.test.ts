import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditActions, auditResourceTypes } from '../../../shared/audit/actions';
import { EXPORT_ACTION, KEY_ANNOUNCEMENT_ACTION } from '../../../shared/audit/format';

// The known actions and resource types are read off what the platform's code writes, so the audit
// filters offer exactly what a log can hold: one the platform starts writing fails here until it is listed.
const root = join(import.meta.dirname, '../../..');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return sources(path);
    return /\.ts$/.test(name) ? [path] : [];
  });
}

// The seed's stories are request payloads (firewall rules carry `action: 'allow'`), not log writes: the
// seed writes the log only through the platform's services.
const platform = sources('platform')
  .filter((file) => !file.startsWith('platform/seed/stories/'))
  .map((file) => readFileSync(join(root, file), 'utf8'))
  .join('\n');

const dotted = /'([a-z_]+\.[a-z_.]+)'/g;

/** `action: '…'` literals, and the action argument of the helpers that append an entry for a caller. */
function writtenActions(): Set<string> {
  const found = new Set([...platform.matchAll(/action: '([^']+)'/g)].map((m) => m[1] as string));
  for (const call of platform.matchAll(/(?:recordApprovalEvent|#record)\(([\s\S]*?)\);/g))
    for (const literal of (call[1] as string).matchAll(dotted)) found.add(literal[1] as string);
  return found;
}

/** Every `type: '…'` between `resource:` and the entry's `change`. */
function writtenResourceTypes(): Set<string> {
  const found = new Set<string>();
  for (const resource of platform.matchAll(/resource:([\s\S]*?)change/g))
    for (const type of (resource[1] as string).matchAll(/type: '([a-z_]+)'/g)) found.add(type[1] as string);
  return found;
}

describe('known audit actions and resource types', () => {
  it('lists every action the platform writes', () => {
    const written = writtenActions();
    expect(written.size).toBeGreaterThan(20);
    expect([...written].filter((a) => !auditActions.includes(a))).toEqual([]);
  });

  it('lists only actions the platform writes', () => {
    const written = writtenActions();
    for (const constant of [EXPORT_ACTION, KEY_ANNOUNCEMENT_ACTION]) written.add(constant);
    expect(auditActions.filter((a) => !written.has(a))).toEqual([]);
    expect(new Set(auditActions).size).toBe(auditActions.length);
  });

  it('lists every resource type the platform writes, and only those', () => {
    const written = writtenResourceTypes();
    const listed = auditResourceTypes.map((r) => r.type);
    expect([...written].filter((t) => !listed.includes(t))).toEqual([]);
    expect(listed.filter((t) => !written.has(t))).toEqual([]);
  });
});
