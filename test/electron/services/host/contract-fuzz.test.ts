import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callNames, contract } from '../../../../shared/contract/contract';

let child: ChildProcess;
let origin = '';
let secret = '';
const stderr: string[] = [];

beforeAll(async () => {
  child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, '../../../fixtures/console-host.ts')],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stderr?.on('data', (d) => stderr.push(String(d)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.once('data', (d) => resolve(String(d).trim()));
    child.once('exit', (code) => reject(new Error(`host exited ${code}: ${stderr.join('')}`)));
  });
  origin = new URL(url).origin;
  secret = new URLSearchParams(new URL(url).hash.slice(1)).get('k') ?? '';
}, 30_000);
afterAll(() => {
  child.kill();
});

async function post(name: string, body: string) {
  const response = await fetch(`${origin}/contract/${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json', 'x-cc-launch': secret },
    body,
  });
  return { status: response.status, json: await response.json() };
}

/** Inputs no call accepts: wrong types, unknown fields, prototype tricks, oversized and odd strings. */
function malformedInputs(name: string): unknown[] {
  const shape =
    (contract[name as keyof typeof contract].input as { shape?: Record<string, unknown> }).shape ?? {};
  const fields = Object.keys(shape);
  const wrongTyped = fields.map((field) => ({ [field]: { nested: [1, 2, 3] } }));
  const oversized = fields.map((field) => ({ [field]: 'x'.repeat(100_000) }));
  return [
    null,
    42,
    'a string',
    [],
    [{}],
    { unexpected: true },
    JSON.parse('{"__proto__": {"polluted": true}}'),
    { constructor: { prototype: { polluted: true } } },
    ...wrongTyped,
    ...oversized,
    Object.fromEntries(fields.map((f) => [f, '\u0000\u202e<script>'])),
  ];
}

describe('contract fuzz through the headless host', () => {
  it('answers every call with malformed input with bad-request, and the process stays up', async () => {
    let cases = 0;
    for (const name of callNames) {
      for (const input of malformedInputs(name)) {
        // An empty strict object is valid input for calls that take none; skip only that exact case.
        if (JSON.stringify(input) === '{}') continue;
        const reply = await post(name, JSON.stringify(input));
        expect(reply.status, name).toBe(200);
        expect(reply.json.ok, `${name} ${JSON.stringify(input).slice(0, 80)}`).toBe(false);
        expect(reply.json.error.code, name).toBe('bad-request');
        expect(reply.json.error.message).not.toContain('xxxxxxxxxx');
        cases++;
      }
    }
    expect(cases).toBeGreaterThan(callNames.length * 8);
    expect(child.exitCode).toBeNull();
    expect((await post('profiles.list', '{}')).json).toEqual({ ok: true, value: { profiles: [] } });
    expect(stderr.join('')).toBe('');
  });

  it('answers broken JSON, unknown calls and wrong methods with errors, never a crash', async () => {
    expect((await post('profiles.list', '{"half": ')).json.error.code).toBe('malformed-json');
    expect((await post('no.such.call', '{}')).json.error.code).toBe('bad-request');
    expect((await post('__proto__', '{}')).json.error.code).toBe('bad-request');
    expect((await post('constructor', '{}')).json.error.code).toBe('bad-request');
    const badEscape = await fetch(`${origin}/contract/%E0%A4%A`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json', 'x-cc-launch': secret },
      body: '{}',
    });
    expect(await badEscape.json()).toEqual({
      ok: false,
      error: { code: 'bad-request', message: 'Unknown call.' },
    });
    const unnamed = await fetch(`${origin}/files`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/octet-stream', 'x-cc-launch': secret },
      body: 'x',
    });
    expect(unnamed.status).toBe(400);
    const get = await fetch(`${origin}/contract/profiles.list`, { headers: { 'x-cc-launch': secret } });
    expect(get.status).toBe(415);
    expect(child.exitCode).toBeNull();
  });
});
