import { accessReviewCsv, accessReviewPdf, pngFile, purchaseOrderPdf, textFile } from '../evidence-files';
import { money, type OrgProfile } from '../profiles';
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

const env = 'live';

/**
 * The live environment's day-to-day requests: vendor payments from the ERP connector, production access,
 * firewall changes, personal-data exports, status-page notices and the access review's follow-up.
 */
export function liveWork(p: OrgProfile): Story[] {
  const { people: n } = p;
  const fabrikam = p.vendors[2];
  const ordered = fabrikam ? Math.round(fabrikam.amount - 1200) : 0;
  return [
    // Vendor payments, raised by the ERP connector: two approvers, never its creator.
    vendorPayment(p, env, {
      daysAgo: 55.4,
      vendor: 0,
      invoice: 'NW-24-1187',
      po: 'PO-4402',
      steps: [
        { after: 4, approve: 'compliance_officer', note: 'Three-way match is fine.' },
        { after: 6, approve: 'owner' },
      ],
    }),
    vendorPayment(p, env, {
      daysAgo: 48.1,
      vendor: 1,
      invoice: 'CCS-0009817',
      po: 'PO-4390',
      steps: [
        { after: 2, approve: 'owner' },
        { after: 3, approve: 'compliance_officer' },
      ],
    }),
    vendorPayment(p, env, {
      daysAgo: 41.3,
      vendor: 2,
      invoice: 'FPP-55120',
      po: 'PO-4471',
      steps: [
        {
          after: 2,
          by: 'compliance_officer',
          comment: 'The total looks higher than what we ordered. Can someone attach PO-4471?',
        },
        ...(fabrikam
          ? [
              {
                after: 3,
                by: 'admin' as const,
                attach: purchaseOrderPdf(p, fabrikam, 'PO-4471', ordered, n.owner),
              },
              {
                after: 3.1,
                by: 'admin' as const,
                comment: `Attached. The order says ${money(p, ordered)}; the invoice adds ${money(p, 1200)} for express delivery that nobody asked for.`,
              },
              {
                after: 4,
                reject: 'compliance_officer' as const,
                reason: `The invoice is ${money(p, 1200)} above PO-4471 (${money(p, ordered)}) for an express surcharge nobody ordered. Please ask ${fabrikam.name} for a corrected invoice.`,
              },
            ]
          : []),
      ],
    }),
    vendorPayment(p, env, {
      daysAgo: 34.2,
      vendor: 2,
      invoice: 'FPP-55120-C',
      po: 'PO-4471',
      amount: ordered,
      note: '(corrected invoice)',
      steps: [
        { after: 1, approve: 'compliance_officer', note: 'The corrected invoice matches PO-4471.' },
        { after: 2, approve: 'owner' },
      ],
    }),
    vendorPayment(p, env, {
      daysAgo: 27.4,
      vendor: 3,
      invoice: 'TDC-24-Q3-118',
      po: 'PO-4288',
      steps: [
        { after: 1, approve: 'owner' },
        { after: 1.5, approve: 'compliance_officer' },
      ],
    }),
    vendorPayment(p, env, {
      daysAgo: 20.6,
      vendor: 4,
      invoice: 'LSEC-7731',
      po: 'PO-4510',
      steps: [
        { after: 3, approve: 'owner', note: 'Report received and reviewed.' },
        {
          after: 60,
          by: 'admin',
          comment: `${n.compliance_officer} is on leave until next week, and I cannot co-sign a payment my own connector raised. Can this wait?`,
        },
        { after: 62, by: 'owner', comment: 'It can; their terms allow it. It will expire and come back.' },
      ],
    }),
    vendorPayment(p, env, {
      daysAgo: 13.4,
      vendor: 4,
      invoice: 'LSEC-7731',
      po: 'PO-4510',
      note: '(raised again)',
      steps: [
        { after: 1, approve: 'compliance_officer', note: 'Back from leave; sorry for the wait.' },
        { after: 2, approve: 'owner' },
      ],
    }),
    vendorPayment(p, env, {
      daysAgo: 16.2,
      vendor: 5,
      invoice: 'WWI-90211',
      po: 'PO-4533',
      steps: [
        {
          after: 5,
          by: 'admin',
          comment:
            'The vendor sent this invoice twice and the connector raised it again; the first copy is with finance. Withdrawing this one.',
        },
        { after: 5.2, withdraw: 'admin' },
      ],
    }),
    vendorPayment(p, env, {
      daysAgo: 9.4,
      vendor: 10,
      invoice: 'TR-2024-311',
      po: 'PO-4577',
      steps: [
        { after: 3, approve: 'compliance_officer' },
        { after: 26, approve: 'owner' },
      ],
    }),
    vendorPayment(p, env, {
      daysAgo: 6.1,
      vendor: 9,
      invoice: 'FC-10442',
      po: 'PO-4590',
      steps: [
        {
          after: 2,
          by: 'owner',
          comment: 'Two approvers for a catering bill feels heavy, but the rule is the rule.',
        },
        { after: 2.2, approve: 'owner' },
        { after: 5, approve: 'compliance_officer' },
      ],
    }),
    vendorPayment(p, env, {
      daysAgo: 2.6,
      vendor: 6,
      invoice: 'PRW-3310',
      po: 'PO-4620',
      steps: [{ after: 5, approve: 'owner', note: 'The licence count matches the renewal quote.' }],
    }),
    vendorPayment(p, env, {
      daysAgo: 0.9,
      vendor: 7,
      invoice: 'AWC-118204',
      po: 'PO-4631',
      steps: [
        {
          after: 2,
          by: 'admin',
          comment: 'This has to go out before the 15th to keep the 2% early-payment discount.',
        },
      ],
    }),
    vendorPayment(p, env, { daysAgo: 0.3, vendor: 8, invoice: 'WGB-2410-77', po: 'PO-4001' }),

    // Production access: red in live, so two people look at every grant.
    productionAccess(p, env, {
      daysAgo: 52.2,
      system: p.systems.paymentsDb,
      access: 'read-only',
      hours: 4,
      ticket: 'INC-2291',
      title: `Read-only access to ${system(env, p.systems.paymentsDb)} for incident INC-2291`,
      summary:
        'Refund totals in the finance report differ from the payment provider’s settlement file by 0.3%. Four hours of read-only access to compare the ledgers.',
      evidence: [
        incidentNote('INC-2291', [
          'Finance reports refund totals 0.3% below the settlement file for the last two weeks.',
          'Suspect: refunds that were retried are counted once in the ledger and twice by the provider.',
          'Next: compare refund rows with the settlement file (read-only, 4 hours).',
        ]),
      ],
      steps: [
        { after: 0.5, approve: 'admin' },
        { after: 1, approve: 'compliance_officer', note: 'Four hours, read-only: fine.' },
      ],
    }),
    productionAccess(p, env, {
      daysAgo: 37.3,
      system: p.systems.api,
      access: 'shell',
      hours: 2,
      ticket: 'INC-2340',
      title: `Shell access to ${system(env, p.systems.api)} to capture a heap dump`,
      summary:
        'Memory grows by about 200 MB a day until the pods restart. A heap dump would show what is leaking.',
      steps: [
        {
          after: 2,
          reject: 'compliance_officer',
          reason:
            'Heap dumps of this service contain card holder data, which engineers may not handle. Use the redacting profiler (runbook RB-12), and raise this again if it does not show the leak.',
        },
      ],
    }),
    productionAccess(p, env, {
      daysAgo: 36.8,
      system: p.systems.api,
      access: 'profiler',
      hours: 6,
      ticket: 'INC-2340',
      title: `Redacting profiler on ${system(env, p.systems.api)} (runbook RB-12)`,
      summary:
        'As suggested on the rejected request: the profiler redacts payment fields before anything leaves the pod.',
      steps: [
        { after: 1, approve: 'admin' },
        { after: 1.5, approve: 'compliance_officer' },
      ],
    }),
    productionAccess(p, env, {
      daysAgo: 22.4,
      system: p.systems.ordersDb,
      access: 'read-write',
      hours: 2,
      ticket: 'INC-2398',
      title: `Write access to ${system(env, p.systems.ordersDb)} to release stuck refunds`,
      summary:
        'Fourteen refunds are stuck in "pending" after the provider outage. They need their status reset by hand.',
      steps: [
        {
          after: 20,
          by: 'member',
          comment:
            'The nightly refund job picked them up once the provider fixed their API, so no access is needed any more.',
        },
        { after: 20.2, withdraw: 'member' },
      ],
    }),
    productionAccess(p, env, {
      daysAgo: 10.2,
      system: p.systems.search,
      access: 'admin',
      hours: 3,
      ticket: 'INC-2433',
      title: `Break-fix access to ${system(env, p.systems.search)} to rebuild an index`,
      summary:
        'Search results are missing products added in the last two days; the product index needs a rebuild.',
      steps: [
        {
          after: 30,
          by: 'admin',
          comment: 'Is this still needed? The search alerts cleared after the automatic reindex last night.',
        },
      ],
    }),
    productionAccess(p, env, {
      daysAgo: 1.8,
      system: p.systems.paymentsDb,
      access: 'read-only',
      hours: 8,
      ticket: 'REQ-5120',
      title: `Read-only access to ${system(env, p.systems.paymentsDb)} for the quarterly reconciliation`,
      summary:
        'Finance’s quarterly reconciliation: compare settled payments with the ledger for the quarter. One working day, read-only.',
      evidence: [
        textFile('REQ-5120 reconciliation plan.txt', () =>
          [
            'Quarterly reconciliation plan (REQ-5120)',
            '',
            '1. Export settled payments for the quarter from the provider portal.',
            '2. Query the ledger (read-only) for the same period.',
            '3. Match on payment reference; list differences above 1.00.',
            '4. Hand the difference list to finance; no data leaves the analytics workspace.',
          ].join('\n'),
        ),
      ],
      steps: [{ after: 4, approve: 'admin', note: 'Same scope as last quarter.' }],
    }),
    productionAccess(p, env, {
      daysAgo: 0.45,
      system: p.systems.gateway,
      access: 'read-only',
      hours: 4,
      ticket: 'INC-2471',
      title: `Read-only access to ${system(env, p.systems.gateway)} logs (carrier label failures)`,
      summary:
        'Label printing for one carrier fails for about 8% of parcels since this morning; the gateway logs show why.',
      evidence: [
        dailyChart(
          'label failures per day.png',
          'Label print failures per day',
          `${system(env, p.systems.gateway)}, last 14 days`,
          9,
          4,
        ),
      ],
    }),

    // Firewall changes, one of them undone by a reversal once it had served its purpose.
    firewallChange(env, {
      daysAgo: 46.3,
      by: 'admin',
      name: 'auditor-sftp',
      change: 'CHG-1042',
      title: 'Allow the external auditors’ SFTP upload from 203.0.113.0/24',
      summary: `The audit firm uploads sample evidence over SFTP during fieldwork. Allow their office range to sftp.${p.domain}:22 until fieldwork ends; a reversal removes the rule afterwards.`,
      rule: {
        action: 'allow',
        id: 'allow-audit-sftp',
        source: '203.0.113.0/24',
        destination: `sftp.${p.domain}`,
        port: 22,
        protocol: 'tcp',
      },
      evidence: [
        ticket(
          p,
          env,
          'CHG-1042',
          'Temporary SFTP access for the external auditors',
          [
            'Add rule allow-audit-sftp: 203.0.113.0/24 -> sftp:22/tcp.',
            'Confirm with the audit firm that an upload works.',
            'Remove the rule when fieldwork ends (reversal request).',
          ],
          'Delete rule allow-audit-sftp; no other rule depends on it.',
        ),
        rulesetSnapshot(p, env, 'CHG-1042'),
      ],
      steps: [
        { after: 2, approve: 'owner' },
        { after: 3, approve: 'compliance_officer' },
      ],
    }),
    firewallChange(env, {
      daysAgo: 14.2,
      by: 'admin',
      reverses: 'auditor-sftp',
      change: 'CHG-1107',
      title: 'Remove the auditors’ SFTP allow rule (fieldwork finished)',
      summary: 'Undoes CHG-1042 now that the auditors have uploaded everything.',
      rule: { action: 'remove', id: 'allow-audit-sftp' },
      steps: [
        { after: 1, approve: 'compliance_officer' },
        { after: 1.5, approve: 'owner' },
      ],
    }),
    firewallChange(env, {
      daysAgo: 30.3,
      by: 'member',
      change: 'CHG-1071',
      title: 'Open port 5432 on the reporting replica to the internet',
      summary: 'The new BI vendor wants to query the reporting replica directly from their cloud.',
      rule: {
        action: 'allow',
        source: '0.0.0.0/0',
        destination: 'reporting-replica',
        port: 5432,
        protocol: 'tcp',
      },
      steps: [
        {
          after: 3,
          reject: 'owner',
          reason: `No database port is opened to the internet. The vendor can use the private link or the nightly export; ${n.admin} can set up the private link.`,
        },
      ],
    }),
    firewallChange(env, {
      daysAgo: 3.1,
      by: 'admin',
      change: 'CHG-1139',
      title: 'Allow the new payment provider’s webhook addresses (198.51.100.0/24)',
      summary:
        'The new payment provider sends settlement webhooks from 198.51.100.0/24. Their calls are refused today, so settlements are only picked up by the nightly poll.',
      rule: {
        action: 'allow',
        id: 'allow-psp-webhooks',
        source: '198.51.100.0/24',
        destination: `hooks.${p.domain}`,
        port: 443,
        protocol: 'tcp',
      },
      evidence: [
        ticket(
          p,
          env,
          'CHG-1139',
          'Allow the payment provider’s webhook range',
          [
            'Add rule allow-psp-webhooks: 198.51.100.0/24 -> hooks:443/tcp.',
            'Send a test settlement from the provider portal.',
            'Watch refused connections on the edge for an hour.',
            'If the provider announces new ranges, update the rule through a new change.',
          ],
          'Delete rule allow-psp-webhooks; the nightly poll keeps working without it.',
        ),
        rulesetSnapshot(p, env, 'CHG-1139'),
        dailyChart(
          'refused webhook calls per day.png',
          'Refused webhook calls per day',
          `${system(env, 'edge')}, source 198.51.100.0/24`,
          14,
          7,
        ),
      ],
      steps: [
        {
          after: 6,
          by: 'member',
          comment: 'Their sandbox has been calling staging for a week without problems.',
        },
        { after: 7, by: 'viewer', comment: 'Is there a rollback plan if they change their addresses?' },
        {
          after: 7.5,
          by: 'admin',
          comment: 'Yes: step 4 of CHG-1139, and the nightly poll still works without the rule.',
        },
      ],
    }),

    // Personal data leaves only on a request someone else approved.
    dataExport({
      daysAgo: 43.4,
      title: 'Export for subject access request DSAR-0192',
      summary:
        'A customer asked for a copy of their data (GDPR Art. 15). Support verified their identity on the ticket. Profile, orders and consent history, delivered through the privacy portal.',
      reference: 'DSAR-0192',
      datasets: ['profile', 'orders', 'consents'],
      delivery: 'privacy portal',
      evidence: [
        textFile('DSAR-0192 identity check.txt', (at) =>
          [
            'Subject access request DSAR-0192',
            `Received: ${at.toISOString().slice(0, 10)}`,
            'Identity check: passed (account e-mail confirmed, last order number matched).',
            'Scope: profile, orders, consent history.',
            'Delivery: privacy portal, link valid 14 days.',
          ].join('\n'),
        ),
      ],
      steps: [{ after: 4, approve: 'compliance_officer' }],
    }),
    dataExport({
      daysAgo: 17.3,
      title: 'Export all customer e-mail addresses for the newsletter tool',
      summary: 'Marketing wants to send the winter newsletter to every customer.',
      reference: 'MKT-88',
      datasets: ['profile.email'],
      delivery: 'newsletter tool upload',
      steps: [
        {
          after: 2,
          reject: 'compliance_officer',
          reason:
            'There is no lawful basis for sending marketing mail to customers who did not opt in. Export only the opted-in segment (OPT-IN-2) and raise that instead.',
        },
      ],
    }),
    dataExport({
      daysAgo: 16.9,
      title: 'Export the opted-in newsletter segment (OPT-IN-2)',
      summary: 'As asked on the rejected request: only customers who opted in to marketing mail.',
      reference: 'MKT-88',
      datasets: ['profile.email', 'consents.marketing'],
      delivery: 'newsletter tool upload',
      steps: [{ after: 3, approve: 'admin' }],
    }),
    dataExport({
      daysAgo: 1.1,
      title: 'Export for subject access request DSAR-0217',
      summary:
        'A customer asked for a copy of their data. Identity verified by support; the statutory deadline is in 30 days.',
      reference: 'DSAR-0217',
      datasets: ['profile', 'orders', 'consents', 'support-tickets'],
      delivery: 'privacy portal',
    }),

    statusNotice({
      daysAgo: 33.5,
      by: 'admin',
      title: 'Maintenance notice: database failover test on Saturday, 06:00–08:00 UTC',
      component: 'Checkout',
      message: 'Checkout may be unavailable for up to five minutes during a planned database failover test.',
    }),
    statusNotice({
      daysAgo: 5.8,
      by: 'member',
      title: 'Incident notice: slow search results',
      component: 'Search',
      message: 'Search is slower than usual. We are rebuilding an index; results stay correct.',
    }),

    {
      daysAgo: 19.4,
      by: 'compliance_officer',
      kind: 'custom.access_review_followup',
      title: 'Quarterly access review follow-up (AR-Q3): remove three accounts, reduce one',
      summary:
        'Findings of this quarter’s access review. The report and the raw export are attached; each change is listed in the payload for the identity team to carry out.',
      payload: {
        review: 'AR-Q3',
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
        accessReviewPdf(p, 'AR-Q3', '-prod'),
        accessReviewCsv(p, 'AR-Q3', '-prod'),
        pngFile('AR-Q3 review progress.png', () => ({
          title: 'Access review AR-Q3',
          subtitle: 'Accounts reviewed per system',
          bars: Object.values(p.systems).map((s, i) => ({
            label: s.slice(0, 7),
            value: 14 + ((i * 7) % 11),
          })),
        })),
      ],
      steps: [
        {
          after: 3,
          by: 'admin',
          comment: 'contractor-17 still owns a cron job on the gateway. I will move it first.',
        },
        { after: 5, approve: 'admin', note: 'Cron job moved. Approved.' },
      ],
    },
  ];
}
