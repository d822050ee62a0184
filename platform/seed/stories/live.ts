import { csvFile, pngFile } from '../evidence-files';
import { money, type OrgProfile } from '../profiles';
import type { TenantScript } from '../story';
import { DAY_SECONDS, routine } from './families';
import { lifecycleStories } from './lifecycle';
import { liveWork } from './live-work';

const env = 'live';

/**
 * Sixty days of the live environment: the policy set up in the first days, the integrations' keys and
 * what became of them, a temporary role and its reversal, evidence deleted after its retention, proposed
 * policy changes, and the day-to-day requests of {@link liveWork}. The queue is full again this week:
 * several requests wait for the compliance officer.
 */
export function liveScript(p: OrgProfile): TenantScript {
  const { people: n } = p;
  return {
    stories: [
      {
        daysAgo: 59.6,
        by: 'owner',
        kind: 'policy.update',
        title: 'Approval lanes for payments, production access and firewall changes',
        summary:
          'Vendor payments, production access and firewall changes go in the red lane in live (two approvers, each with a fresh code) and the yellow lane in test. Status-page notices and API key revocations are green everywhere: a notice is an announcement, and a revocation only ever removes access.',
        payload: {
          lanes: {
            'custom.vendor_payment': { test: 'yellow', live: 'red' },
            'custom.production_access': { test: 'yellow', live: 'red' },
            'custom.firewall_change': { test: 'yellow', live: 'red' },
            'custom.status_page_notice': { test: 'green', live: 'green' },
            'api_key.revoke': { test: 'green', live: 'green' },
          },
        },
        steps: [
          {
            after: 2,
            by: 'admin',
            comment: 'Agreed on revocations. Should data exports be red as well? They carry personal data.',
          },
          {
            after: 3,
            by: 'owner',
            comment: 'Let us see the volume first; I will propose it separately if it is needed.',
          },
          { after: 4, approve: 'admin' },
          { after: 6.5, approve: 'compliance_officer', note: 'Matches the control matrix (CM-3, CM-7).' },
        ],
      },
      {
        daysAgo: 58.2,
        by: 'admin',
        kind: 'api_key.create',
        key: 'erp',
        title: 'API key for the ERP connector (vendor payments)',
        summary:
          'The ERP connector raises vendor payment requests and attaches the invoices. It needs to raise and read requests and to upload and read evidence; nothing else. Expires in a year.',
        payload: {
          name: 'ERP connector',
          scopes: ['approvals:request', 'approvals:read', 'evidence:upload', 'evidence:read'],
          expiresInDays: 365,
        },
        steps: [{ after: 2, approve: 'compliance_officer', note: 'Scopes are minimal. Approved.' }],
      },
      {
        daysAgo: 57.9,
        by: 'admin',
        kind: 'api_key.create',
        key: 'ci',
        title: 'API key for the Jenkins deploy pipeline',
        summary: 'Carried over from the old tooling so that deploys can attach their change records.',
        payload: {
          name: 'CI deploy (Jenkins)',
          scopes: ['approvals:request', 'approvals:read', 'evidence:upload'],
        },
        steps: [{ after: 1, approve: 'owner' }],
      },
      {
        daysAgo: 57.5,
        by: 'admin',
        kind: 'api_key.create',
        key: 'siem',
        title: 'Read-only key for the SIEM (audit log export)',
        summary:
          'The SIEM pulls the audit log once a day and alerts on refused decisions and step-up lockouts.',
        payload: { name: 'SIEM audit export', scopes: ['audit:read', 'audit:export'], expiresInDays: 180 },
        steps: [{ after: 3, approve: 'compliance_officer', note: 'Read-only; fine.' }],
      },
      {
        daysAgo: 50.3,
        by: 'admin',
        kind: 'api_key.create',
        key: 'bi',
        title: 'Read-only key for the BI dashboard',
        summary: 'The approvals dashboard in BI shows throughput and time-to-decision per lane.',
        payload: { name: 'BI dashboard', scopes: ['orgs:read', 'approvals:read', 'evidence:read'] },
        steps: [{ after: 20, approve: 'compliance_officer' }],
      },
      {
        daysAgo: 45.2,
        by: 'owner',
        kind: 'audit.retention',
        title: 'Keep audit logs for seven years',
        summary:
          'The external auditors and the SOX retention rules ask for seven years (2,555 days). Setting it explicitly means nobody can shorten it without two approvals.',
        payload: { days: 2555 },
        steps: [
          { after: 2, approve: 'admin' },
          { after: 5, approve: 'compliance_officer', mistypesCode: true },
        ],
      },
      {
        daysAgo: 40.1,
        by: 'admin',
        kind: 'member.role_change',
        name: 'viewer-auditor',
        title: `Temporary auditor access for ${n.viewer} (SOC 2 fieldwork)`,
        summary: `${n.viewer} supports the external auditors during SOC 2 fieldwork and needs to export audit logs. Back to viewer when fieldwork ends, planned in four weeks.`,
        payload: ({ refs }) => ({ userId: refs.user('viewer'), role: 'auditor' }),
        steps: [
          {
            after: 1,
            by: 'owner',
            comment: 'Fine for the fieldwork period only. Please raise the reversal as soon as it ends.',
          },
          { after: 1.5, approve: 'owner' },
          { after: 3, approve: 'compliance_officer' },
        ],
      },
      {
        daysAgo: 12.3,
        by: 'admin',
        kind: 'member.role_change',
        reverses: 'viewer-auditor',
        title: `End ${n.viewer}'s temporary auditor access`,
        summary: 'SOC 2 fieldwork has ended and the auditors have their evidence. Back to viewer.',
        payload: ({ refs }) => ({ userId: refs.user('viewer'), role: 'viewer' }),
        steps: [
          { after: 2, approve: 'compliance_officer' },
          { after: 4, approve: 'owner' },
        ],
      },

      ...liveWork(p),
      ...lifecycleStories(p, env),

      // API keys: revocations are green; everything else waits for one approver.
      {
        daysAgo: 18.9,
        by: 'admin',
        kind: 'api_key.revoke',
        title: 'Revoke the Jenkins deploy key (access review finding AR-Q3-04)',
        summary: 'Jenkins was switched off last month; its key is unused and should not stay valid.',
        payload: ({ refs }) => ({ keyId: refs.keyId('ci') }),
      },
      {
        daysAgo: 18.8,
        by: 'admin',
        kind: 'api_key.create',
        key: 'ci2',
        title: 'API key for the new CI pipeline',
        summary: 'Replaces the Jenkins key: the new pipeline attaches change records to deploy requests.',
        payload: {
          name: 'CI deploy (pipelines)',
          scopes: ['approvals:request', 'approvals:read', 'evidence:upload'],
          expiresInDays: 365,
        },
        steps: [{ after: 2, approve: 'compliance_officer' }],
      },
      {
        daysAgo: 29.1,
        by: 'admin',
        kind: 'api_key.create',
        title: 'Audit export key for the marketing analytics vendor',
        summary: 'The vendor would like raw audit events to build engagement dashboards.',
        payload: { name: 'Marketing analytics', scopes: ['audit:read', 'audit:export'] },
        steps: [
          {
            after: 4,
            reject: 'compliance_officer',
            reason:
              'Audit logs do not leave the company. The vendor can have the monthly aggregated report instead.',
          },
        ],
      },
      {
        daysAgo: 23.5,
        by: 'admin',
        kind: 'api_key.create',
        title: 'Key for the warehouse label printer integration',
        summary: 'The label printers upload their daily print logs as evidence.',
        payload: { name: 'Label printers', scopes: ['evidence:upload'] },
        steps: [
          {
            after: 1,
            by: 'admin',
            comment: 'Wrong environment: this should be tried in test first. Withdrawing.',
          },
          { after: 1.1, withdraw: 'admin' },
        ],
      },
      {
        daysAgo: 8.3,
        by: 'admin',
        kind: 'api_key.rotate',
        title: 'Rotate the BI dashboard key',
        summary: 'Routine rotation; one day of grace for the dashboard to pick up the new key.',
        payload: ({ refs }) => ({ keyId: refs.keyId('bi'), gracePeriodSeconds: DAY_SECONDS }),
        steps: [
          { after: 46, approve: 'compliance_officer', note: 'Rotation is due.' },
          {
            after: 50,
            by: 'admin',
            comment:
              'Expected: the key had already been revoked when the dashboard was retired. Nothing left to do.',
          },
        ],
      },
      {
        daysAgo: 6.4,
        by: 'owner',
        kind: 'api_key.revoke',
        title: 'Revoke the BI dashboard key: the dashboard was retired',
        summary: 'The BI team moved to the warehouse exports; the key has not been used for 30 days.',
        payload: ({ refs }) => ({ keyId: refs.keyId('bi') }),
      },
      {
        daysAgo: 1.7,
        by: 'admin',
        kind: 'api_key.rotate',
        key: 'erp',
        title: 'Annual rotation of the ERP connector key',
        summary:
          'Yearly rotation. Seven days of grace so the connector can switch without a gap; the old key stops working when the grace ends.',
        payload: ({ refs }) => ({ keyId: refs.keyId('erp'), gracePeriodSeconds: 7 * DAY_SECONDS }),
        steps: [
          {
            after: 3,
            approve: 'compliance_officer',
            note: 'Approved. Please say when the connector uses the new key.',
          },
          {
            after: 5,
            by: 'admin',
            comment: 'The connector runs on the new key; the old one is in its grace period until next week.',
          },
        ],
      },
      {
        daysAgo: 0.55,
        by: 'admin',
        kind: 'api_key.create',
        title: 'Key for the HR system (joiners and leavers feed)',
        summary:
          'The HR system compares its leavers list with the members list every night and opens a ticket for each mismatch.',
        payload: {
          name: 'HR joiners and leavers',
          scopes: ['orgs:read', 'members:read'],
          expiresInDays: 365,
        },
        steps: [
          { after: 1, by: 'owner', comment: `Read-only is right. ${n.compliance_officer}, over to you.` },
        ],
      },

      // Evidence is deleted only by an approved request: after its retention, or when it should never have been kept.
      {
        daysAgo: 10.6,
        by: 'compliance_officer',
        kind: 'evidence.delete',
        title: 'Delete the 2022 Q4 badge-access export (retention ended)',
        summary:
          'Badge-access logs are kept for 24 months (retention schedule RS-4, line 12). This export was imported from the old document store at onboarding and is past its date.',
        payload: ({ refs }) => ({ evidenceId: refs.evidenceId('badge-2022') }),
        steps: [
          { after: 2, approve: 'admin' },
          { after: 3, approve: 'owner' },
        ],
      },
      {
        daysAgo: 2.2,
        by: 'member',
        kind: 'evidence.delete',
        title: 'Delete a dashboard export that lists customer account numbers',
        summary:
          'Uploaded by mistake during incident INC-2412: the chart is broken down by customer account. The incident has a copy without them.',
        payload: ({ refs }) => ({ evidenceId: refs.evidenceId('by-customer') }),
        steps: [{ after: 3, approve: 'admin' }],
      },

      // The policy itself changes only under the two-person rule.
      {
        daysAgo: 24.3,
        by: 'admin',
        kind: 'policy.update',
        title: 'Move vendor payments to the yellow lane in live',
        summary: `Most payments are routine and below ${money(p, 5000)}; two approvers slow down month-end.`,
        payload: { lanes: { 'custom.vendor_payment': { test: 'yellow', live: 'yellow' } } },
        steps: [
          {
            after: 5,
            reject: 'owner',
            reason:
              'Finance policy FIN-04 requires two approvers for every outgoing payment, whatever the amount. Month-end is better solved by raising payments earlier.',
          },
        ],
      },
      {
        daysAgo: 1.9,
        by: 'owner',
        kind: 'policy.update',
        title: 'Put data exports in the red lane in live',
        summary:
          'Exports of personal data should need two people, as the data protection officer recommended.',
        payload: { lanes: { 'custom.data_export': { test: 'yellow', live: 'red' } } },
        steps: [{ after: 2, approve: 'admin', note: 'Agreed, as discussed when the lanes were set up.' }],
      },
    ],
    happenings: [
      {
        daysAgo: 57.6,
        by: 'compliance_officer',
        name: 'badge-2022',
        upload: csvFile('badge-access-2022-q4.csv', () => [
          ['door', 'badge', 'holder', 'time', 'result'],
          ['HQ main entrance', 'B-10442', `owner@${p.domain}`, '2022-10-03T07:58:12Z', 'granted'],
          ['Server room', 'B-10871', `admin@${p.domain}`, '2022-10-03T09:14:40Z', 'granted'],
          ['Server room', 'B-11020', 'visitor-2231', '2022-10-03T09:15:02Z', 'denied'],
          ['Loading dock', 'B-10903', `member@${p.domain}`, '2022-11-18T16:45:27Z', 'granted'],
        ]),
      },
      {
        daysAgo: 2.3,
        by: 'member',
        name: 'by-customer',
        upload: pngFile('checkout errors by customer account.png', (at) => ({
          title: 'Checkout errors by customer',
          subtitle: `INC-2412, ${at.toISOString().slice(0, 10)}`,
          bars: ['C-10423', 'C-20871', 'C-31552', 'C-40018', 'C-51177', 'C-60290'].map((label, i) => ({
            label,
            value: [42, 17, 9, 31, 6, 12][i] ?? 0,
          })),
        })),
      },
      { daysAgo: 30.2, newDevice: 'admin', device: p.replacementDevice },
      { daysAgo: 31, exportAudit: 'auditor' },
      { daysAgo: 30.9, sampleEvidence: 'auditor', count: 6 },
      { daysAgo: 14.9, verifyAudit: 'auditor' },
      { daysAgo: 0.7, exportAudit: 'auditor' },
      { daysAgo: 0.65, sampleEvidence: 'auditor', count: 8 },
      { daysAgo: 0.6, verifyAudit: 'auditor' },
      ...routine(p, env, 18.7),
    ],
  };
}
