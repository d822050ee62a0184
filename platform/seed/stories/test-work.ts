import { accessReviewCsv, accessReviewPdf, pngFile } from '../evidence-files';
import type { OrgProfile } from '../profiles';
import type { Story } from '../story';
import {
  dailyChart,
  dataExport,
  firewallChange,
  incidentNote,
  productionAccess,
  rulesetSnapshot,
  statusNotice,
  system,
  ticket,
  vendorPayment,
} from './families';

const env = 'test';

/**
 * The test environment's day-to-day requests: the ERP connector rehearsing payments against the sandbox
 * bank, access to staging systems, load tests and their firewall rules, anonymised datasets, notices, and
 * the staging half of the access review.
 */
export function testWork(p: OrgProfile): Story[] {
  return [
    // The connector's rehearsals: yellow in test, one approver.
    vendorPayment(p, env, {
      daysAgo: 56.6,
      vendor: 0,
      invoice: 'SBX-0001',
      po: 'PO-T-100',
      steps: [
        {
          after: 1,
          approve: 'compliance_officer',
          note: 'Amounts and order numbers come through correctly.',
        },
      ],
    }),
    vendorPayment(p, env, {
      daysAgo: 54.3,
      vendor: 1,
      invoice: 'SBX-0002',
      po: 'PO-T-101',
      unmaskedAccount: true,
      steps: [
        {
          after: 2,
          reject: 'compliance_officer',
          reason:
            'The payload carries the whole bank account number. Mask it to the last four digits before the connector goes live.',
        },
      ],
    }),
    vendorPayment(p, env, {
      daysAgo: 53.1,
      vendor: 1,
      invoice: 'SBX-0003',
      po: 'PO-T-101',
      note: '(masked account)',
      steps: [{ after: 1, approve: 'compliance_officer', note: 'Masked now. Thanks.' }],
    }),
    vendorPayment(p, env, {
      daysAgo: 44.2,
      vendor: 3,
      invoice: 'SBX-0004',
      po: 'PO-T-102',
      steps: [{ after: 2, approve: 'owner' }],
    }),
    vendorPayment(p, env, { daysAgo: 37.5, vendor: 4, invoice: 'SBX-0005', po: 'PO-T-103' }),
    vendorPayment(p, env, {
      daysAgo: 21.2,
      vendor: 5,
      invoice: 'SBX-0006',
      po: 'PO-T-104',
      steps: [
        {
          after: 3,
          by: 'admin',
          comment: 'Superseded by the run with the new currency mapping. Withdrawing.',
        },
        { after: 3.1, withdraw: 'admin' },
      ],
    }),
    vendorPayment(p, env, {
      daysAgo: 9.5,
      vendor: 6,
      invoice: 'SBX-0007',
      po: 'PO-T-105',
      steps: [{ after: 4, approve: 'compliance_officer' }],
    }),
    vendorPayment(p, env, {
      daysAgo: 5.4,
      vendor: 9,
      invoice: 'SBX-0008',
      po: 'PO-T-106',
      steps: [{ after: 1, approve: 'owner' }],
    }),
    vendorPayment(p, env, { daysAgo: 2.1, vendor: 7, invoice: 'SBX-0009', po: 'PO-T-107' }),
    vendorPayment(p, env, {
      daysAgo: 0.35,
      vendor: 8,
      invoice: 'SBX-0010',
      po: 'PO-T-108',
      steps: [{ after: 1, by: 'admin', comment: 'First run on the rotated key.' }],
    }),

    productionAccess(p, env, {
      daysAgo: 50.4,
      system: p.systems.paymentsDb,
      access: 'read-write',
      hours: 3,
      ticket: 'REQ-4410',
      title: `Access to ${system(env, p.systems.paymentsDb)} to load anonymised fixtures`,
      summary: 'Loads the anonymised fixture set the integration tests expect.',
      steps: [{ after: 1, approve: 'admin' }],
    }),
    productionAccess(p, env, {
      daysAgo: 31.4,
      system: p.systems.api,
      access: 'admin',
      hours: 8,
      ticket: 'REQ-4502',
      title: `Admin access to ${system(env, p.systems.api)} for the load test`,
      summary: 'The load test needs to replay traffic and read the metrics endpoints.',
      steps: [
        {
          after: 2,
          reject: 'compliance_officer',
          reason:
            'A load test does not need admin. Ask for the load-test role (read-only plus traffic replay).',
        },
      ],
    }),
    productionAccess(p, env, {
      daysAgo: 31.1,
      system: p.systems.api,
      access: 'load-test',
      hours: 8,
      ticket: 'REQ-4502',
      title: `Load-test role on ${system(env, p.systems.api)}`,
      summary: 'As suggested on the rejected request.',
      steps: [{ after: 1, approve: 'compliance_officer' }],
    }),
    productionAccess(p, env, {
      daysAgo: 19.6,
      system: p.systems.gateway,
      access: 'read-only',
      hours: 4,
      ticket: 'REQ-4577',
      title: `Read-only access to ${system(env, p.systems.gateway)} to replay carrier label errors`,
      summary: 'Reproducing the label errors seen in live against the staging gateway.',
      evidence: [
        incidentNote('INC-2377', [
          'Carrier rejects labels with a postcode longer than 8 characters.',
          'Replay the failing requests against staging with the fix applied.',
        ]),
      ],
      steps: [{ after: 2, approve: 'owner' }],
    }),
    productionAccess(p, env, {
      daysAgo: 15.3,
      system: p.systems.search,
      access: 'read-write',
      hours: 6,
      ticket: 'REQ-4590',
      title: `Access to ${system(env, p.systems.search)} for the relevance experiment`,
      summary: 'Tries a new ranking model on staging with anonymised queries.',
    }),
    productionAccess(p, env, {
      daysAgo: 7.2,
      system: p.systems.ordersDb,
      access: 'read-only',
      hours: 2,
      ticket: 'REQ-4631',
      title: `Read-only access to ${system(env, p.systems.ordersDb)} to debug the refund export`,
      summary: 'The refund export skips some rows on staging; the query plan should show why.',
      steps: [
        {
          after: 5,
          by: 'member',
          comment: 'Found it in the export job’s logs: a time zone bug. No access needed.',
        },
        { after: 5.1, withdraw: 'member' },
      ],
    }),
    productionAccess(p, env, {
      daysAgo: 1.3,
      system: p.systems.paymentsDb,
      access: 'read-only',
      hours: 4,
      ticket: 'REQ-4660',
      title: `Read-only access to ${system(env, p.systems.paymentsDb)} to test the reconciliation script`,
      summary: 'Dry run of the quarterly reconciliation script before it touches live.',
    }),

    firewallChange(env, {
      daysAgo: 47.3,
      by: 'admin',
      name: 'load-generators',
      change: 'CHG-T-310',
      title: 'Allow the load generators (192.0.2.0/24) into the staging edge',
      summary:
        'The load test runs from a rented range for two weeks; a reversal removes the rule afterwards.',
      rule: {
        action: 'allow',
        id: 'allow-loadgen',
        source: '192.0.2.0/24',
        destination: `staging.${p.domain}`,
        port: 443,
        protocol: 'tcp',
      },
      evidence: [
        ticket(
          p,
          env,
          'CHG-T-310',
          'Load generators for the staging load test',
          ['Add rule allow-loadgen: 192.0.2.0/24 -> staging:443/tcp.', 'Run the load test plan LT-7.'],
          'Delete rule allow-loadgen.',
        ),
        rulesetSnapshot(p, env, 'CHG-T-310'),
      ],
      steps: [{ after: 2, approve: 'owner' }],
    }),
    firewallChange(env, {
      daysAgo: 29.6,
      by: 'admin',
      reverses: 'load-generators',
      change: 'CHG-T-322',
      title: 'Remove the load-generator rule after the load test',
      summary: 'Undoes CHG-T-310: the load test is finished and the rented range is returned.',
      rule: { action: 'remove', id: 'allow-loadgen' },
      steps: [{ after: 1, approve: 'compliance_officer' }],
    }),
    firewallChange(env, {
      daysAgo: 23.3,
      by: 'member',
      change: 'CHG-T-330',
      title: 'Allow all outbound traffic from staging for the package mirror',
      summary: 'Builds on staging fail to fetch packages from some mirrors.',
      rule: {
        action: 'allow',
        direction: 'egress',
        source: 'staging',
        destination: '0.0.0.0/0',
        port: 'any',
      },
      steps: [
        {
          after: 2,
          reject: 'admin',
          reason:
            'We do not open all egress, even in staging. Point the build at the package proxy (proxy.internal:3128).',
        },
      ],
    }),
    firewallChange(env, {
      daysAgo: 3.6,
      by: 'admin',
      change: 'CHG-T-341',
      title: 'Allow the payment provider’s sandbox webhooks (198.51.100.0/24) into the staging edge',
      summary:
        'The provider’s sandbox sends settlement webhooks from this range; needed before the same change in live.',
      rule: {
        action: 'allow',
        id: 'allow-psp-webhooks',
        source: '198.51.100.0/24',
        destination: `hooks.staging.${p.domain}`,
        port: 443,
        protocol: 'tcp',
      },
      evidence: [
        ticket(
          p,
          env,
          'CHG-T-341',
          'Payment provider sandbox webhooks',
          ['Add rule allow-psp-webhooks.', 'Trigger a sandbox settlement.', 'Compare with the nightly poll.'],
          'Delete rule allow-psp-webhooks.',
        ),
        rulesetSnapshot(p, env, 'CHG-T-341'),
        dailyChart(
          'staging refused webhook calls.png',
          'Refused webhook calls per day',
          `${system(env, 'edge')}, source 198.51.100.0/24`,
          6,
          2,
        ),
      ],
    }),

    dataExport({
      daysAgo: 39.4,
      title: 'Anonymised order dataset for the load test',
      summary:
        'Orders of the last quarter with every personal field replaced by the anonymiser (runbook DATA-3).',
      reference: 'LT-7',
      datasets: ['orders (anonymised)'],
      delivery: `load-test bucket in ${system(env, 'storage')}`,
      steps: [{ after: 2, approve: 'compliance_officer' }],
    }),
    dataExport({
      daysAgo: 11.2,
      title: 'Copy the production customer table into staging',
      summary: 'Staging data is too small to reproduce the slow customer search.',
      reference: 'REQ-4612',
      datasets: ['customers'],
      delivery: system(env, p.systems.ordersDb),
      steps: [
        {
          after: 2,
          reject: 'compliance_officer',
          reason:
            'Production personal data never goes to staging. The anonymiser (runbook DATA-3) keeps the shapes and drops the people; use that.',
        },
      ],
    }),
    dataExport({
      daysAgo: 10.8,
      title: 'Anonymised customer dataset for staging (runbook DATA-3)',
      summary: 'As asked on the rejected request: the anonymiser’s output, same size as production.',
      reference: 'REQ-4612',
      datasets: ['customers (anonymised)'],
      delivery: system(env, p.systems.ordersDb),
      steps: [{ after: 3, approve: 'compliance_officer' }],
    }),
    dataExport({
      daysAgo: 0.5,
      title: 'Anonymised search queries for the ranking experiment',
      summary: 'A week of search queries, anonymised, to evaluate the new ranking model on staging.',
      reference: 'REQ-4671',
      datasets: ['search-queries (anonymised)'],
      delivery: system(env, p.systems.search),
    }),

    statusNotice({
      daysAgo: 26.4,
      by: 'admin',
      title: 'Staging maintenance: database upgrade to the next major version',
      component: 'Staging',
      message: 'Staging databases are read-only for about an hour while they are upgraded.',
    }),
    statusNotice({
      daysAgo: 4.9,
      by: 'member',
      title: 'Staging is frozen for the release candidate',
      component: 'Staging',
      message: 'No deploys to staging until the release candidate is signed off.',
    }),

    {
      daysAgo: 18.4,
      by: 'compliance_officer',
      kind: 'custom.access_review_followup',
      title: 'Access review follow-up (staging): remove three accounts, reduce one',
      summary: 'The staging half of this quarter’s access review. Report and raw export attached.',
      payload: {
        review: 'AR-Q3-staging',
        actions: [
          { account: `j.park@${p.domain}`, system: system(env, p.systems.paymentsDb), action: 'remove' },
          {
            account: `contractor-17@${p.domain}`,
            system: system(env, p.systems.gateway),
            action: 'remove',
          },
          { account: `m.ortiz@${p.domain}`, system: system(env, p.systems.api), action: 'remove' },
          {
            account: `svc-reporting@${p.domain}`,
            system: system(env, p.systems.ordersDb),
            action: 'read-only',
          },
        ],
      },
      evidence: [
        accessReviewPdf(p, 'AR-Q3-staging', '-staging'),
        accessReviewCsv(p, 'AR-Q3-staging', '-staging'),
        pngFile('AR-Q3-staging review progress.png', () => ({
          title: 'Access review AR-Q3 (staging)',
          subtitle: 'Accounts reviewed per system',
          bars: Object.values(p.systems).map((s, i) => ({
            label: s.slice(0, 7),
            value: 6 + ((i * 5) % 7),
          })),
        })),
      ],
      steps: [{ after: 4, approve: 'admin' }],
    },
  ];
}
