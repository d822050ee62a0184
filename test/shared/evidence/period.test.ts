import { describe, expect, it } from 'vitest';
import { addDays, checkEvidencePeriod, evidenceStatus, isIsoDay } from '../../../shared/evidence/period';

describe('evidence periods', () => {
  it('takes only real calendar days written YYYY-MM-DD', () => {
    expect(['2026-02-28', '2024-02-29', '1970-01-01'].map(isIsoDay)).toEqual([true, true, true]);
    expect(
      ['2026-02-29', '2026-13-01', '2026-1-01', '26-01-01', '2026-01-01T00:00:00Z', ''].map(isIsoDay),
    ).toEqual([false, false, false, false, false, false]);
  });

  it('refuses a period that ends before it starts and an expiry before the period, and takes the rest', () => {
    expect(checkEvidencePeriod({ from: '2026-01-01', to: '2026-01-01' }).ok).toBe(true);
    expect(checkEvidencePeriod({ from: '2026-01-02', to: '2026-01-01' })).toMatchObject({
      ok: false,
      error: { code: 'bad-request' },
    });
    expect(checkEvidencePeriod({ from: '2026-01-01', to: '2026-03-31', expiresOn: '2025-12-31' }).ok).toBe(
      false,
    );
    expect(checkEvidencePeriod({ from: '2026-01-01', to: '2026-03-31', expiresOn: '2026-01-01' }).ok).toBe(
      true,
    );
    expect(checkEvidencePeriod({ from: '2026-01-01', to: '2026-03-31', expiresOn: 'soon' }).ok).toBe(false);
  });

  it('is current, expiring within 30 days (both ends included), expired after its day, superseded above all', () => {
    const today = '2026-06-15';
    const status = (expiresOn: string | null, supersededBy: string | null = null) =>
      evidenceStatus({ expiresOn, supersededBy }, today);
    expect(status(null)).toBe('current');
    expect(status(addDays(today, 31))).toBe('current');
    expect(status(addDays(today, 30))).toBe('expiring');
    expect(status(today)).toBe('expiring');
    expect(status(addDays(today, -1))).toBe('expired');
    expect(status(addDays(today, -1), 'evd_x')).toBe('superseded');
    expect(status(null, 'evd_x')).toBe('superseded');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
  });
});
