import { type PdfBlock, renderPdf } from './files/pdf';
import { type BarChart, barChartPng } from './files/png';
import { day, money, type OrgProfile, type Vendor } from './profiles';
import type { EvidenceFile } from './story';

/**
 * The demo's evidence, made by code when the seed runs: every type the platform accepts as it would
 * arrive from people (an invoice PDF, a dashboard screenshot, an access-review CSV export, a configuration
 * snapshot in JSON, a change ticket in plain text). Each is small, valid and about its own request.
 */

export function textFile(name: string, text: (at: Date) => string): EvidenceFile {
  return { name, make: (at) => Buffer.from(`${text(at).trimEnd()}\n`, 'utf8') };
}

export function jsonFile(name: string, value: (at: Date) => unknown): EvidenceFile {
  return { name, make: (at) => Buffer.from(`${JSON.stringify(value(at), null, 2)}\n`, 'utf8') };
}

export function csvFile(name: string, rows: (at: Date) => readonly (readonly string[])[]): EvidenceFile {
  const cell = (value: string) => (/[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  return {
    name,
    make: (at) =>
      Buffer.from(
        `${rows(at)
          .map((r) => r.map(cell).join(','))
          .join('\r\n')}\r\n`,
        'utf8',
      ),
  };
}

export function pngFile(name: string, chart: (at: Date) => BarChart): EvidenceFile {
  return { name, make: (at) => barChartPng(chart(at)) };
}

export function pdfFile(
  name: string,
  title: string,
  author: string,
  pages: (at: Date) => readonly (readonly PdfBlock[])[],
): EvidenceFile {
  return { name, make: (at) => renderPdf({ title, author, created: at, pages: pages(at) }) };
}

/** A vendor's invoice as the ERP connector receives it. */
export function invoicePdf(
  profile: OrgProfile,
  vendor: Vendor,
  invoice: { number: string; po: string; amount: number },
): EvidenceFile {
  const net = Math.round((invoice.amount / 1.19) * 100) / 100;
  const tax = Math.round((invoice.amount - net) * 100) / 100;
  const cols = [0, 270, 330, 410];
  return pdfFile(`${invoice.number} ${vendor.name}.pdf`, `Invoice ${invoice.number}`, vendor.name, (at) => [
    [
      { heading: vendor.name },
      { text: `${vendor.city}  |  accounts@${vendor.name.toLowerCase().replaceAll(/[^a-z]+/g, '')}.example` },
      { space: 18 },
      { text: `INVOICE ${invoice.number}`, bold: true, size: 13 },
      { space: 6 },
      { row: ['Bill to', profile.name], at: [0, 110] },
      { row: ['Vendor number', vendor.id], at: [0, 110] },
      { row: ['Purchase order', invoice.po], at: [0, 110] },
      { row: ['Invoice date', day(at, -2)], at: [0, 110] },
      { row: ['Due date', day(at, 28)], at: [0, 110] },
      { space: 14 },
      { row: ['Description', 'Qty', 'Unit', 'Amount'], at: cols, bold: true },
      { rule: true },
      { row: [vendor.what, '1', 'lot', money(profile, net)], at: cols },
      { row: ['Tax (19%)', '', '', money(profile, tax)], at: cols },
      { rule: true },
      { row: ['Total due', '', '', money(profile, invoice.amount)], at: cols, bold: true },
      { space: 24 },
      { text: `Please pay to ${profile.bankMask} quoting ${invoice.number}. Payment terms: 30 days net.` },
      { text: 'Questions about this invoice: reply to the address above within 14 days.', size: 9 },
    ],
  ]);
}

/** A purchase order as procurement issued it, attached when a reviewer asks for it. */
export function purchaseOrderPdf(
  profile: OrgProfile,
  vendor: Vendor,
  po: string,
  amount: number,
  approvedBy: string,
): EvidenceFile {
  return pdfFile(`${po}.pdf`, `Purchase order ${po}`, profile.name, (at) => [
    [
      { heading: `${profile.name}: purchase order ${po}` },
      { space: 8 },
      { row: ['Supplier', `${vendor.name} (${vendor.id})`], at: [0, 110] },
      { row: ['Ordered', day(at, -21)], at: [0, 110] },
      { row: ['Cost center', profile.costCenter], at: [0, 110] },
      { row: ['Approved by', approvedBy], at: [0, 110] },
      { space: 12 },
      { row: ['Item', 'Amount'], at: [0, 380], bold: true },
      { rule: true },
      { row: [vendor.what, money(profile, amount)], at: [0, 380] },
      { rule: true },
      { row: ['Order total', money(profile, amount)], at: [0, 380], bold: true },
      { space: 18 },
      { text: 'Invoices must quote this order number. Amounts above the order total need a change order.' },
    ],
  ]);
}

interface ReviewRow {
  readonly account: string;
  readonly system: string;
  readonly role: string;
  readonly lastLogin: string;
  readonly decision: 'keep' | 'remove' | 'downgrade';
  readonly note: string;
}

function reviewRows(profile: OrgProfile, suffix: string): ReviewRow[] {
  const s = profile.systems;
  const d = profile.domain;
  return [
    {
      account: `owner@${d}`,
      system: `${s.paymentsDb}${suffix}`,
      role: 'admin',
      lastLogin: '2 days',
      decision: 'keep',
      note: 'Owner, break-glass holder',
    },
    {
      account: `admin@${d}`,
      system: `${s.paymentsDb}${suffix}`,
      role: 'admin',
      lastLogin: '1 day',
      decision: 'keep',
      note: '',
    },
    {
      account: `member@${d}`,
      system: `${s.api}${suffix}`,
      role: 'deployer',
      lastLogin: '6 days',
      decision: 'keep',
      note: 'On-call rota',
    },
    {
      account: `j.park@${d}`,
      system: `${s.paymentsDb}${suffix}`,
      role: 'read-write',
      lastLogin: '97 days',
      decision: 'remove',
      note: 'Leaver (HR ticket HR-2291)',
    },
    {
      account: `svc-reporting@${d}`,
      system: `${s.ordersDb}${suffix}`,
      role: 'read-write',
      lastLogin: '41 days',
      decision: 'downgrade',
      note: 'Only reads; make it read-only',
    },
    {
      account: `contractor-17@${d}`,
      system: `${s.gateway}${suffix}`,
      role: 'admin',
      lastLogin: '130 days',
      decision: 'remove',
      note: 'Contract ended',
    },
    {
      account: `viewer@${d}`,
      system: `${s.search}${suffix}`,
      role: 'read-only',
      lastLogin: '12 days',
      decision: 'keep',
      note: '',
    },
    {
      account: `m.ortiz@${d}`,
      system: `${s.api}${suffix}`,
      role: 'admin',
      lastLogin: '63 days',
      decision: 'remove',
      note: 'Moved to marketing',
    },
    {
      account: `svc-backup@${d}`,
      system: `${s.paymentsDb}${suffix}`,
      role: 'backup',
      lastLogin: '0 days',
      decision: 'keep',
      note: 'Nightly job',
    },
  ];
}

/** The access review's raw export, as the identity provider writes it. */
export function accessReviewCsv(profile: OrgProfile, review: string, suffix: string): EvidenceFile {
  return csvFile(`${review} access review export.csv`, (at) => [
    ['review', 'account', 'system', 'role', 'last_login', 'reviewer', 'decision', 'notes', 'reviewed_at'],
    ...reviewRows(profile, suffix).map((r) => [
      review,
      r.account,
      r.system,
      r.role,
      r.lastLogin,
      `compliance-officer@${profile.domain}`,
      r.decision,
      r.note,
      day(at, -1),
    ]),
  ]);
}

/** The access review's summary report for the file: two pages, findings on the second. */
export function accessReviewPdf(profile: OrgProfile, review: string, suffix: string): EvidenceFile {
  const rows = reviewRows(profile, suffix);
  const findings = rows.filter((r) => r.decision !== 'keep');
  const cols = [0, 150, 300, 380];
  return pdfFile(
    `${review} access review report.pdf`,
    `${review} access review`,
    profile.people.compliance_officer,
    (at) => [
      [
        { heading: `${profile.name}: quarterly access review ${review}` },
        { text: `Prepared by ${profile.people.compliance_officer}, compliance officer, on ${day(at)}.` },
        { space: 10 },
        { text: 'Scope', bold: true },
        {
          text: `Every account with access to ${Object.values(profile.systems)
            .map((s) => `${s}${suffix}`)
            .join(
              ', ',
            )}. Owners confirmed each account; accounts without a login in 60 days or without a current business need are removed or reduced.`,
        },
        { space: 10 },
        { text: 'Result', bold: true },
        { row: ['Accounts reviewed', String(rows.length)], at: [0, 200] },
        { row: ['Kept', String(rows.length - findings.length)], at: [0, 200] },
        { row: ['To remove', String(findings.filter((f) => f.decision === 'remove').length)], at: [0, 200] },
        {
          row: ['To reduce', String(findings.filter((f) => f.decision === 'downgrade').length)],
          at: [0, 200],
        },
        { space: 10 },
        {
          text: 'The removals are raised as an approval request so that a second person confirms them; the request links this report and the raw export.',
        },
      ],
      [
        { heading: 'Findings' },
        { row: ['Account', 'System', 'Decision', 'Reason'], at: cols, bold: true },
        { rule: true },
        ...findings.map((f) => ({ row: [f.account, f.system, f.decision, f.note], at: cols })),
        { rule: true },
        { space: 12 },
        { text: 'Next review: in three months. Open items are tracked on the approval request.' },
      ],
    ],
  );
}

/** A change ticket as the ITSM tool prints it. */
export function changeTicket(
  id: string,
  fields: { title: string; requester: string; system: string; plan: readonly string[]; rollback: string },
): EvidenceFile {
  return textFile(`${id}.txt`, (at) =>
    [
      `Change ticket ${id}`,
      '='.repeat(`Change ticket ${id}`.length),
      '',
      `Title:       ${fields.title}`,
      `Requester:   ${fields.requester}`,
      `System:      ${fields.system}`,
      `Raised:      ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      'Risk:        medium (reviewed by the change advisory board)',
      '',
      'Implementation plan',
      ...fields.plan.map((line, i) => `  ${i + 1}. ${line}`),
      '',
      'Rollback',
      `  ${fields.rollback}`,
    ].join('\n'),
  );
}

/** Daily counts for the last fortnight, shaped by a seed so each chart differs but stays plausible. */
export function dailySeries(
  at: Date,
  base: number,
  spikeDay: number,
  seed: number,
): { label: string; value: number }[] {
  return Array.from({ length: 14 }, (_, i) => {
    const date = new Date(at.getTime() - (13 - i) * 86_400_000);
    const wobble = ((seed * 31 + i * 17) % 11) - 5;
    return {
      label: date.toISOString().slice(8, 10),
      value: Math.max(0, base + wobble + (i === spikeDay ? base * 3 : 0)),
    };
  });
}
