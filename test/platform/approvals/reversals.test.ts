import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide, registerDevice } from '../../helpers/approvals';
import { startPlatform, type TestPlatform } from '../../helpers/platform';

let platform: TestPlatform;
const approvals = '/v1/orgs/acme/envs/test/approvals';

beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(() => platform.stop());

describe('a reversal is linked both ways', () => {
  it('an executed request names the newest request that reverses it, in its detail and in the queue', async () => {
    const admin = (await platform.signIn(platform.user('acme', 'admin'))).accessToken;
    const officer = (await platform.signIn(platform.user('acme', 'compliance_officer'))).accessToken;
    const device = await registerDevice(platform, officer);
    const raise = async (body: Record<string, unknown>) => {
      const reply = await platform.call('POST', approvals, {
        token: admin,
        body: { summary: 'why', ...body },
      });
      expect(reply.status, reply.text).toBe(201);
      return reply.json;
    };
    const original = await raise({ kind: 'custom.vendor_payment', title: 'Pay Initech', payload: { n: 1 } });
    const executed = await decide(platform, officer, device, approvals, original, 'approve');
    expect(executed.json.status).toBe('executed');
    expect(executed.json.reversedBy).toBeNull();

    const first = await raise({
      kind: 'custom.vendor_refund',
      title: 'Refund Initech',
      payload: { n: 1 },
      reverses: original.id,
    });
    expect(first).toMatchObject({ reverses: original.id, reversedBy: null });
    const detail = await platform.call('GET', `${approvals}/${original.id}`, { token: officer });
    expect(detail.json.reversedBy).toBe(first.id);

    platform.clock.advance(1000);
    const second = await raise({
      kind: 'custom.vendor_refund',
      title: 'Refund Initech, corrected',
      payload: { n: 2 },
      reverses: original.id,
    });
    const again = await platform.call('GET', `${approvals}/${original.id}`, { token: officer });
    expect(again.json.reversedBy).toBe(second.id);
    const queue = await platform.call('GET', `${approvals}?status=all&limit=200`, { token: officer });
    const rows = queue.json.requests as { id: string; reversedBy: string | null }[];
    expect(rows.find((r) => r.id === original.id)?.reversedBy).toBe(second.id);
    expect(rows.find((r) => r.id === first.id)?.reversedBy).toBeNull();
  });
});
