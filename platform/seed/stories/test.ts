import { csvFile } from '../evidence-files';
import type { OrgProfile } from '../profiles';
import type { TenantScript } from '../story';
import { DAY_SECONDS, dailyChart, routine } from './families';
import { lifecycleStories } from './lifecycle';
import { testWork } from './test-work';

const env = 'test';

/**
 * Sixty days of the test environment: API keys (green here, so they execute at once), evidence deleted
 * after the test-data retention, organization-wide proposals (roles, retention, the policy) raised from
 * test, which take the live lane wherever they are raised, and the day-to-day requests of {@link testWork}.
 */
export function testScript(p: OrgProfile): TenantScript {
  const { people: n } = p;
  return {
    stories: [
      {
        daysAgo: 58.9,
        by: 'admin',
        kind: 'api_key.create',
        key: 'erp',
        title: 'Sandbox key for the ERP connector',
        summary: 'The connector is tried against the sandbox bank first. Same scopes it will have in live.',
        payload: {
          name: 'ERP connector (sandbox)',
          scopes: ['approvals:request', 'approvals:read', 'evidence:upload', 'evidence:read'],
          expiresInDays: 365,
        },
      },
      {
        daysAgo: 57.2,
        by: 'admin',
        kind: 'api_key.create',
        key: 'ci',
        title: 'CI key for the integration tests (Jenkins)',
        summary:
          'The integration test suite raises and withdraws requests against test and files its reports.',
        payload: {
          name: 'Integration tests (Jenkins)',
          scopes: ['approvals:request', 'approvals:read', 'evidence:upload'],
        },
      },
      {
        daysAgo: 56.9,
        by: 'admin',
        kind: 'api_key.create',
        key: 'siem',
        title: 'Read-only key for the SIEM (test audit log)',
        summary:
          'The SIEM pulls the test audit log once a day too, so integration mistakes show up before live.',
        payload: {
          name: 'SIEM audit export (test)',
          scopes: ['audit:read', 'audit:export'],
          expiresInDays: 180,
        },
      },
      {
        daysAgo: 40.5,
        by: 'admin',
        kind: 'api_key.create',
        key: 'labels',
        title: 'Key for the label printer integration (staging)',
        summary: 'The label printers upload their daily print logs as evidence; tried here before live.',
        payload: { name: 'Label printers (staging)', scopes: ['evidence:upload'] },
      },
      {
        daysAgo: 25.1,
        by: 'admin',
        kind: 'api_key.revoke',
        title: 'Revoke the integration-test key of the retired Jenkins server',
        summary: 'Found in the access review: Jenkins is gone, its key should be too.',
        payload: ({ refs }) => ({ keyId: refs.keyId('ci') }),
      },
      {
        daysAgo: 25,
        by: 'admin',
        kind: 'api_key.create',
        key: 'ci2',
        title: 'CI key for the new pipeline',
        summary: 'Replaces the Jenkins key for the integration tests.',
        payload: {
          name: 'Integration tests (pipelines)',
          scopes: ['approvals:request', 'approvals:read', 'evidence:upload'],
          expiresInDays: 365,
        },
      },
      {
        daysAgo: 12.2,
        by: 'admin',
        kind: 'api_key.rotate',
        title: 'Rotate the label printer key after a laptop loss',
        summary:
          'The key was on a laptop reported lost. No grace period: the printers get the new key today.',
        payload: ({ refs }) => ({ keyId: refs.keyId('labels'), gracePeriodSeconds: 0 }),
      },
      {
        daysAgo: 1.2,
        by: 'admin',
        kind: 'api_key.rotate',
        key: 'erp',
        title: 'Rotate the sandbox ERP key before the go-live rehearsal',
        summary: 'The rehearsal uses a fresh key, as live will. A week of grace for the old one.',
        payload: ({ refs }) => ({ keyId: refs.keyId('erp'), gracePeriodSeconds: 7 * DAY_SECONDS }),
      },

      ...testWork(p),
      ...lifecycleStories(p, env),

      // Organization-wide proposals raised from test: they take the live lane, so they are red here too.
      {
        daysAgo: 35.2,
        by: 'admin',
        kind: 'member.role_change',
        title: `Make ${n.member} an admin to manage the CI keys`,
        summary: `${n.member} maintains the CI pipelines and rotates their keys.`,
        payload: ({ refs }) => ({ userId: refs.user('member'), role: 'admin' }),
        steps: [
          {
            after: 4,
            reject: 'owner',
            reason:
              'Least privilege: admin also manages members and the policy. Raise API key requests instead; they are green in test and quick in live.',
          },
        ],
      },
      {
        daysAgo: 2.9,
        by: 'admin',
        kind: 'member.role_change',
        title: `Make ${n.member} a compliance officer (holiday cover)`,
        summary: `${n.compliance_officer} is away over the holidays; ${n.member} covers approvals for two weeks. To be reversed on return.`,
        payload: ({ refs }) => ({ userId: refs.user('member'), role: 'compliance_officer' }),
        steps: [
          {
            after: 3,
            by: 'owner',
            comment: `Fine by me, as long as it is reversed when ${n.compliance_officer} is back.`,
          },
        ],
      },
      {
        daysAgo: 42.3,
        by: 'admin',
        kind: 'audit.retention',
        title: 'Keep test audit logs for 30 days',
        summary: 'Test logs are noisy and rarely needed after a month.',
        payload: { days: 30 },
        steps: [
          {
            after: 2,
            reject: 'compliance_officer',
            reason:
              'Retention is set for the whole organization, so this would also cut the live logs below the seven years we committed to. Leave it at 2,555 days.',
          },
        ],
      },
      {
        daysAgo: 20.3,
        by: 'compliance_officer',
        kind: 'evidence.delete',
        title: 'Delete the staging checkout screenshots (30-day test-data retention)',
        summary:
          'Test evidence is kept for 30 days (retention schedule RS-4, line 3). These screenshots are past that.',
        payload: ({ refs }) => ({ evidenceId: refs.evidenceId('staging-screenshots') }),
        steps: [
          { after: 1, approve: 'owner' },
          { after: 2, approve: 'admin' },
        ],
      },
      {
        daysAgo: 1.6,
        by: 'member',
        kind: 'evidence.delete',
        title: 'Delete a load-test export that contains real customer e-mail addresses',
        summary: 'The export should have gone through the anonymiser. It must not stay in staging.',
        payload: ({ refs }) => ({ evidenceId: refs.evidenceId('load-test-export') }),
        steps: [{ after: 2, approve: 'owner', note: 'Yes, delete it.' }],
      },
      {
        daysAgo: 27.2,
        by: 'admin',
        kind: 'policy.update',
        title: 'Let API keys be created in live without approval',
        summary: 'Keys are created often while the integrations are built; the approval slows this down.',
        payload: { lanes: { 'api_key.create': { test: 'green', live: 'green' } } },
        steps: [
          {
            after: 2,
            by: 'compliance_officer',
            comment: 'A key in live acts with your full authority. I would rather keep one approver there.',
          },
          { after: 3, by: 'admin', comment: 'Fair point. Withdrawing.' },
          { after: 3.1, withdraw: 'admin' },
        ],
      },
      {
        daysAgo: 2.4,
        by: 'owner',
        kind: 'policy.update',
        title: 'Extend request expiry from 7 to 10 days',
        summary:
          'Requests raised before a long weekend expire before anyone is back. Ten days covers the holidays.',
        payload: { expiryDays: 10 },
        steps: [{ after: 1, approve: 'admin' }],
      },
    ],
    happenings: [
      {
        daysAgo: 52.4,
        by: 'member',
        name: 'staging-screenshots',
        upload: dailyChart(
          'staging checkout screenshots.png',
          'Staging checkout',
          'Conversion test, variant B',
          20,
          9,
        ),
      },
      {
        daysAgo: 6.2,
        by: 'member',
        name: 'load-test-export',
        upload: csvFile('load-test export LT-9.csv', () => [
          ['order', 'email', 'total', 'status'],
          ['T-100231', `j.doe@${p.domain}`, '84.20', 'paid'],
          ['T-100232', `a.smith@${p.domain}`, '12.99', 'refunded'],
          ['T-100233', `k.lee@${p.domain}`, '230.00', 'paid'],
        ]),
      },
      { daysAgo: 30.8, exportAudit: 'auditor' },
      { daysAgo: 30.7, sampleEvidence: 'auditor', count: 5 },
      { daysAgo: 14.7, verifyAudit: 'auditor' },
      { daysAgo: 0.72, exportAudit: 'auditor' },
      { daysAgo: 0.67, sampleEvidence: 'auditor', count: 6 },
      { daysAgo: 0.62, verifyAudit: 'auditor' },
      ...routine(p, env, 25),
    ],
  };
}
