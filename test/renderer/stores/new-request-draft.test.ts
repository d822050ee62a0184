import { describe, expect, it } from 'vitest';
import {
  checkDraft,
  type Draft,
  emptyDraft,
  kindRefusal,
  previewOf,
} from '../../../renderer/stores/new-request-draft';

const person = { isPerson: true };
const draft = (change: Partial<Draft>): Draft => ({
  ...emptyDraft,
  title: 'A change',
  summary: 'Because.',
  ...change,
});

describe('the New request form’s rules', () => {
  it('offers each role the kinds it may raise, and says why not for the rest', () => {
    expect(kindRefusal('member.role_change', 'admin')).toBeNull();
    expect(kindRefusal('member.role_change', 'member')).toBe('needs members:manage');
    expect(kindRefusal('api_key.create', 'compliance_officer')).toBe('needs keys:manage');
    expect(kindRefusal('evidence.delete', 'member')).toBeNull();
    expect(kindRefusal('audit.retention', 'owner')).toBeNull();
    expect(kindRefusal('custom', 'member')).toBeNull();
    expect(kindRefusal('custom', 'viewer')).toBe('your role may not raise requests');
    expect(kindRefusal('custom', 'auditor')).toBe('your role may not raise requests');
    expect(kindRefusal('custom', 'api-key')).toBeNull();
    expect(kindRefusal('api_key.revoke', 'api-key')).toBe('integrations raise custom kinds only');
  });

  it('builds each built-in kind’s payload from its fields', () => {
    const requestOf = (change: Partial<Draft>) => {
      const checked = checkDraft(draft(change), person);
      if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
      return checked.request;
    };
    expect(
      requestOf({ kind: 'member.role_change', userId: 'usr_abcdefghijklmnopqrstuvwxyz', role: 'auditor' }),
    ).toEqual({
      kind: 'member.role_change',
      title: 'A change',
      summary: 'Because.',
      payload: { userId: 'usr_abcdefghijklmnopqrstuvwxyz', role: 'auditor' },
    });
    expect(
      requestOf({ kind: 'api_key.create', keyName: ' ERP ', scopes: ['approvals:read'] }).payload,
    ).toEqual({
      name: 'ERP',
      scopes: ['approvals:read'],
    });
    expect(
      requestOf({ kind: 'api_key.create', keyName: 'ERP', scopes: ['approvals:read'], expiresInDays: '90' })
        .payload,
    ).toEqual({ name: 'ERP', scopes: ['approvals:read'], expiresInDays: 90 });
    const key = 'cck_live_abcdefghijklmnopqrstuvwxyz';
    expect(requestOf({ kind: 'api_key.rotate', keyId: key, graceHours: '1.5' }).payload).toEqual({
      keyId: key,
      gracePeriodSeconds: 5400,
    });
    expect(requestOf({ kind: 'audit.retention', retentionDays: '400' }).payload).toEqual({ days: 400 });
    expect(
      requestOf({
        kind: 'custom',
        customName: 'vendor_payment',
        payloadText: '{"amount": 12}',
        reverses: 'apr_x',
      }),
    ).toMatchObject({ kind: 'custom.vendor_payment', payload: { amount: 12 }, reverses: 'apr_x' });
  });

  it('says what is wrong, per field, with words for each', () => {
    const problems = (change: Partial<Draft>, who = person) => {
      const checked = checkDraft(draft(change), who);
      return checked.ok ? {} : checked.problems;
    };
    expect(problems({ title: '  ', summary: '' })).toEqual({
      title: 'Give the request a title.',
      summary: 'Say why this change is needed.',
      kind: 'Choose what kind of change to request.',
    });
    // An integration may leave the justification to its payload.
    expect(problems({ kind: 'custom', customName: 'x', summary: '' }, { isPerson: false })).toEqual({});
    expect(problems({ kind: 'member.role_change' })).toEqual({
      userId: 'Choose the member whose role changes.',
      role: 'Choose the new role.',
    });
    expect(problems({ kind: 'api_key.create', keyName: '', expiresInDays: '0' })).toEqual({
      keyName: 'Name the key (at most 100 characters).',
      scopes: 'Choose at least one scope.',
      expiresInDays: 'Enter a whole number of days from 1 to 3650, or leave it empty.',
    });
    expect(problems({ kind: 'api_key.rotate', graceHours: '721' })).toEqual({
      keyId: 'Choose the key to rotate.',
      graceHours: 'Enter the hours the old secret keeps working: 0 to 720.',
    });
    expect(problems({ kind: 'audit.retention', retentionDays: '29' })).toEqual({
      retentionDays: 'Enter a whole number of days from 30 to 36500.',
    });
    expect(problems({ kind: 'evidence.delete' })).toEqual({
      evidenceId: 'Choose the evidence file to delete.',
    });
    expect(problems({ kind: 'custom', customName: 'Vendor', payloadText: '[]' })).toEqual({
      customName: expect.stringContaining('a lowercase letter first'),
      payloadText: 'The payload must be a JSON object ({ … }), not an array.',
    });
    expect(problems({ title: 'Pay \u202eINV', kind: 'custom', customName: 'x' })).toEqual({
      title: 'The title holds control or bidirectional formatting characters.',
    });
  });

  it('previews the lane with the platform’s own rules: organization-wide kinds take live’s lane', () => {
    const policy = {
      lanes: {
        'member.role_change': { test: 'yellow', live: 'red' },
        'custom.*': { test: 'yellow', live: 'yellow' },
      },
      redApprovals: 3,
      expiryDays: 7,
      auditRetentionDays: null,
    } as const;
    expect(previewOf(draft({ kind: 'member.role_change' }), policy, 'test')).toEqual({
      lane: 'red',
      requiredApprovals: 3,
    });
    expect(previewOf(draft({ kind: 'custom', customName: 'not valid yet!' }), policy, 'live')).toEqual({
      lane: 'yellow',
      requiredApprovals: 1,
    });
    expect(previewOf(draft({ kind: '' }), policy, 'test')).toBeNull();
    expect(previewOf(draft({ kind: 'custom' }), null, 'test')).toBeNull();
  });
});

describe('the evidence period on the New request form', () => {
  const custom = { kind: 'custom' as const, customName: 'vendor_review', payloadText: '{}' };
  it('sends no period when both days are empty (the platform takes the upload day), and an expiry alone', () => {
    const checked = checkDraft(draft(custom), person);
    expect(checked.ok && checked.evidence).toEqual({});
    const expiring = checkDraft(draft({ ...custom, evidenceExpires: '2027-01-31' }), person);
    expect(expiring.ok && expiring.evidence).toEqual({ expiresOn: '2027-01-31' });
  });

  it('sends both days and the expiry when they are consistent', () => {
    const checked = checkDraft(
      draft({
        ...custom,
        evidenceFrom: '2026-01-01',
        evidenceTo: '2026-06-30',
        evidenceExpires: '2027-06-30',
      }),
      person,
    );
    expect(checked.ok && checked.evidence).toEqual({
      periodFrom: '2026-01-01',
      periodTo: '2026-06-30',
      expiresOn: '2027-06-30',
    });
  });

  it('says at the field what is wrong: one day alone, an end before the start, an expiry before the start', () => {
    const problems = (change: Partial<Draft>) => {
      const checked = checkDraft(draft({ ...custom, ...change }), person);
      return checked.ok ? {} : checked.problems;
    };
    expect(problems({ evidenceFrom: '2026-01-01' })).toEqual({
      evidenceTo: 'Give the day the period ends, or leave both days empty.',
    });
    expect(problems({ evidenceFrom: '2026-02-01', evidenceTo: '2026-01-01' })).toEqual({
      evidenceTo: 'The period must start on or before the day it ends.',
    });
    expect(
      problems({ evidenceFrom: '2026-02-01', evidenceTo: '2026-03-01', evidenceExpires: '2026-01-31' }),
    ).toEqual({ evidenceExpires: 'The expiry cannot be before the period starts.' });
  });
});
