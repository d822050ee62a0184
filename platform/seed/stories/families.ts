import { createHash } from 'node:crypto';
import type { Environment } from '../../../shared/domain/environments';
import { changeTicket, dailySeries, invoicePdf, jsonFile, pngFile, textFile } from '../evidence-files';
import { day, money, type OrgProfile } from '../profiles';
import type { Actor, EvidenceFile, Happening, Step, Story } from '../story';

/**
 * Builders for the kinds of request the demo organizations raise again and again: vendor payments,
 * production access, firewall changes, data exports. Each fills in the payload an integration would
 * expect, so the stories only say what is particular to them.
 */

export const DAY_SECONDS = 24 * 3600;

/** The name a production system has in an environment: the test environment runs the staging twins. */
export function system(env: Environment, name: string): string {
  return `${name}-${env === 'live' ? 'prod' : 'staging'}`;
}

interface Common {
  readonly daysAgo: number;
  readonly steps?: readonly Step[];
  readonly name?: string;
  readonly reverses?: string;
  readonly evidence?: readonly EvidenceFile[];
}

export function vendorPayment(
  p: OrgProfile,
  env: Environment,
  o: Common & {
    readonly vendor: number;
    readonly invoice: string;
    readonly po: string;
    readonly amount?: number;
    readonly note?: string;
    /** The connector's first sandbox runs sent the whole account number; a reviewer caught it. */
    readonly unmaskedAccount?: true;
  },
): Story {
  const vendor = p.vendors[o.vendor];
  if (!vendor) throw new Error(`No vendor ${o.vendor} for ${p.slug}`);
  const amount = o.amount ?? vendor.amount;
  const sandbox = env === 'test';
  return {
    daysAgo: o.daysAgo,
    by: 'integration',
    kind: 'custom.vendor_payment',
    title: `${sandbox ? 'Sandbox run: pay' : 'Pay'} ${vendor.name} ${money(p, amount)} (${o.invoice})${o.note ? ` ${o.note}` : ''}`,
    summary: sandbox
      ? `ERP connector rehearsal against the sandbox bank: no money moves. ${vendor.what}; invoice ${o.invoice} against ${o.po}.`
      : `${vendor.what}. Invoice ${o.invoice} against ${o.po}; the ERP's three-way match (order, goods receipt, invoice) passed. Raised by the ERP connector.`,
    payload: ({ at }) => ({
      vendor: { id: vendor.id, name: vendor.name },
      invoice: o.invoice,
      purchaseOrder: o.po,
      amount: amount.toFixed(2),
      currency: p.currency,
      dueDate: day(at, 28),
      costCenter: p.costCenter,
      bankAccount: o.unmaskedAccount ? 'DE89 3704 0044 0532 0130 00' : p.bankMask,
      description: vendor.what,
      ...(sandbox ? { bank: 'sandbox' } : {}),
    }),
    ...pick(o),
    evidence: [invoicePdf(p, vendor, { number: o.invoice, po: o.po, amount }), ...(o.evidence ?? [])],
  };
}

export function productionAccess(
  p: OrgProfile,
  env: Environment,
  o: Common & {
    readonly system: string;
    readonly access: 'read-only' | 'read-write' | 'shell' | 'admin' | 'profiler' | 'load-test';
    readonly hours: number;
    readonly ticket: string;
    readonly title: string;
    readonly summary: string;
    readonly by?: Actor;
  },
): Story {
  return {
    daysAgo: o.daysAgo,
    by: o.by ?? 'member',
    kind: 'custom.production_access',
    title: o.title,
    summary: o.summary,
    payload: ({ at }) => ({
      system: system(env, o.system),
      access: o.access,
      durationHours: o.hours,
      ticket: o.ticket,
      engineer: `member@${p.domain}`,
      startsAt: at.toISOString(),
    }),
    ...pick(o),
  };
}

export function firewallChange(
  env: Environment,
  o: Common & {
    readonly title: string;
    readonly summary: string;
    readonly by: Actor;
    readonly change: string;
    readonly rule: Record<string, unknown>;
  },
): Story {
  return {
    daysAgo: o.daysAgo,
    by: o.by,
    kind: 'custom.firewall_change',
    title: o.title,
    summary: o.summary,
    payload: { ruleset: system(env, 'edge'), change: o.change, ...o.rule },
    ...pick(o),
  };
}

export function dataExport(
  o: Common & {
    readonly title: string;
    readonly summary: string;
    readonly reference: string;
    readonly datasets: readonly string[];
    readonly delivery: string;
    readonly by?: Actor;
  },
): Story {
  return {
    daysAgo: o.daysAgo,
    by: o.by ?? 'member',
    kind: 'custom.data_export',
    title: o.title,
    summary: o.summary,
    payload: ({ at }) => ({
      reference: o.reference,
      datasets: [...o.datasets],
      format: 'json',
      delivery: o.delivery,
      deadline: day(at, 30),
    }),
    ...pick(o),
  };
}

export function statusNotice(
  o: Common & {
    readonly title: string;
    readonly component: string;
    readonly message: string;
    readonly by: Actor;
  },
): Story {
  return {
    daysAgo: o.daysAgo,
    by: o.by,
    kind: 'custom.status_page_notice',
    title: o.title,
    summary: o.message,
    payload: ({ at }) => ({
      component: o.component,
      message: o.message,
      publishAt: at.toISOString(),
    }),
    ...pick(o),
  };
}

/** The edge firewall's rules before a change, as the change tool exports them. */
export function rulesetSnapshot(p: OrgProfile, env: Environment, change: string): EvidenceFile {
  const ruleset = system(env, 'edge');
  return jsonFile(`${ruleset} ruleset before ${change}.json`, (at) => ({
    ruleset,
    exportedAt: at.toISOString(),
    exportedBy: `admin@${p.domain}`,
    defaultAction: 'deny',
    rules: [
      {
        id: 'allow-https',
        action: 'allow',
        source: '0.0.0.0/0',
        destination: `www.${p.domain}`,
        port: 443,
        protocol: 'tcp',
      },
      {
        id: 'allow-vpn',
        action: 'allow',
        source: '0.0.0.0/0',
        destination: `vpn.${p.domain}`,
        port: 51820,
        protocol: 'udp',
      },
      {
        id: 'allow-office-ssh',
        action: 'allow',
        source: '192.0.2.0/28',
        destination: `bastion.${p.domain}`,
        port: 22,
        protocol: 'tcp',
      },
      {
        id: 'deny-db',
        action: 'deny',
        source: '0.0.0.0/0',
        destination: '10.20.0.0/16',
        port: 5432,
        protocol: 'tcp',
      },
    ],
  }));
}

export function ticket(
  p: OrgProfile,
  env: Environment,
  id: string,
  title: string,
  plan: readonly string[],
  rollback: string,
): EvidenceFile {
  return changeTicket(id, { title, requester: p.people.admin, system: system(env, 'edge'), plan, rollback });
}

export function incidentNote(id: string, lines: readonly string[]): EvidenceFile {
  return textFile(`${id} incident notes.txt`, (at) =>
    [`Incident ${id}`, `Opened ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`, '', ...lines].join(
      '\n',
    ),
  );
}

export function dailyChart(
  name: string,
  title: string,
  subtitle: string,
  base: number,
  seed: number,
): EvidenceFile {
  return pngFile(name, (at) => ({
    title,
    subtitle,
    bars: dailySeries(at, base, 11, seed),
    threshold: base * 2,
  }));
}

function pick(o: Common): Pick<Story, 'steps' | 'name' | 'reverses' | 'evidence'> {
  return {
    ...(o.evidence ? { evidence: o.evidence } : {}),
    ...(o.steps ? { steps: o.steps } : {}),
    ...(o.name ? { name: o.name } : {}),
    ...(o.reverses ? { reverses: o.reverses } : {}),
  };
}

/** Twice a week, from `from` down to `to` days ago: the release train's rhythm. */
export function releaseDays(from: number, to: number): number[] {
  const days: number[] = [];
  for (let d = from; d >= to; d--) if (d % 7 === 1 || d % 7 === 4) days.push(d);
  return days;
}

function hex(seed: string, length: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}

/**
 * The routine traces of a working platform: a SIEM pulling the audit log once a day, the deploy
 * pipeline filing a record of each release (live) or the integration tests their reports (test), and the auditor's
 * weekly evidence sample. They make the audit log as long as two months of real use would.
 */
export function routine(p: OrgProfile, env: Environment, pipelineSwitchDaysAgo: number): Happening[] {
  const daily: Happening[] = [];
  for (let d = 56; d >= 1; d--) daily.push({ daysAgo: d + 0.15, exportAudit: { key: 'siem' } });
  const services = [p.systems.api, p.systems.gateway, p.systems.search];
  const pipeline = releaseDays(56, 1).map((d, i): Happening => {
    const key = d + 0.4 > pipelineSwitchDaysAgo ? 'ci' : 'ci2';
    if (env === 'live') {
      const service = services[i % services.length] as string;
      const version = `3.${40 + i}.${i % 3}`;
      return {
        daysAgo: d + 0.4,
        by: { key },
        upload: textFile(`deploy ${service} ${version}.txt`, (at) =>
          [
            `Deploy record: ${system(env, service)} ${version}`,
            `Commit:    ${hex(`${p.slug}${service}${i}`, 12)}`,
            `Pipeline:  run ${4100 + i}`,
            `Started:   ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
            'Tests:     passed',
            `Change:    CHG-${2000 + i} (standard change, pre-approved)`,
            'Result:    deployed to all zones, health checks green',
          ].join('\n'),
        ),
      };
    }
    const failed = i % 9 === 4 ? 2 : 0;
    return {
      daysAgo: d + 0.4,
      by: { key },
      upload: jsonFile(`integration tests run ${1800 + i}.json`, (at) => ({
        suite: 'integration',
        run: 1800 + i,
        commit: hex(`${p.slug}tests${i}`, 12),
        environment: 'staging',
        startedAt: at.toISOString(),
        durationSeconds: 540 + ((i * 37) % 120),
        passed: 1184 - failed + (i % 5),
        failed,
        skipped: 6,
      })),
    };
  });
  const samples = [52, 45, 38, 24, 17, 10, 3].map(
    (d): Happening => ({ daysAgo: d + 0.55, sampleEvidence: 'auditor', count: 5 }),
  );
  return [...daily, ...pipeline, ...samples];
}
