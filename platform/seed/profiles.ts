import type { RoleName } from '../../shared/domain/permissions';

/** Who works at each demo organization and what it buys and runs: the names its history is told with. */

export interface Vendor {
  readonly name: string;
  readonly id: string;
  readonly what: string;
  readonly amount: number;
  readonly city: string;
}

export interface OrgProfile {
  readonly slug: 'acme' | 'globex';
  readonly name: string;
  readonly domain: string;
  readonly currency: 'EUR' | 'USD';
  readonly people: Readonly<Record<RoleName, string>>;
  /** The laptop each person who decides signs with (the demo registers one device key each). */
  readonly devices: Readonly<Partial<Record<RoleName, string>>>;
  /** The admin's new laptop, half-way through the history (its key replaces the old one). */
  readonly replacementDevice: string;
  readonly vendors: readonly Vendor[];
  /** Production system names (the test environment runs their `-staging` twins). */
  readonly systems: {
    readonly paymentsDb: string;
    readonly api: string;
    readonly ordersDb: string;
    readonly search: string;
    readonly gateway: string;
  };
  readonly costCenter: string;
  readonly bankMask: string;
}

export const acme: OrgProfile = {
  slug: 'acme',
  name: 'Acme Corporation',
  domain: 'acme.example',
  currency: 'EUR',
  people: {
    owner: 'Dana Whitfield',
    admin: 'Rahul Mehta',
    compliance_officer: 'Sofia Lindqvist',
    member: 'Marcus Okafor',
    auditor: 'Helen Brandt',
    viewer: 'Tom Alvarez',
  },
  devices: {
    owner: 'MacBook Pro 14 (Dana)',
    admin: 'ThinkPad X1 Carbon (Rahul)',
    compliance_officer: 'Surface Laptop 6 (Sofia)',
  },
  replacementDevice: 'ThinkPad X1 Carbon Gen 12 (Rahul)',
  vendors: [
    {
      name: 'Northwind Logistics GmbH',
      id: 'V-10231',
      what: 'Freight and warehousing, September',
      amount: 18450,
      city: 'Hamburg',
    },
    {
      name: 'Contoso Cloud Services',
      id: 'V-10078',
      what: 'Cloud hosting, monthly',
      amount: 42310.27,
      city: 'Dublin',
    },
    {
      name: 'Fabrikam Print & Packaging',
      id: 'V-10412',
      what: 'Shipping boxes and mailers',
      amount: 14870,
      city: 'Rotterdam',
    },
    {
      name: 'Tailspin Data Centers',
      id: 'V-10155',
      what: 'Colocation, quarterly',
      amount: 27600,
      city: 'Frankfurt',
    },
    {
      name: 'Litware Security AB',
      id: 'V-10590',
      what: 'External penetration test',
      amount: 19800,
      city: 'Stockholm',
    },
    {
      name: 'Wide World Importers',
      id: 'V-10333',
      what: 'Seasonal stock purchase',
      amount: 63240.5,
      city: 'Antwerp',
    },
    {
      name: 'Proseware Inc.',
      id: 'V-10602',
      what: 'Warehouse software licences',
      amount: 8940,
      city: 'Amsterdam',
    },
    {
      name: 'Adventure Works Cycles',
      id: 'V-10214',
      what: 'Spring catalogue stock',
      amount: 31125,
      city: 'Munich',
    },
    {
      name: 'Woodgrove Bank',
      id: 'V-10007',
      what: 'Card processing fees, October',
      amount: 5412.88,
      city: 'London',
    },
    {
      name: 'Fourth Coffee',
      id: 'V-10688',
      what: 'Office catering, quarterly',
      amount: 1284.6,
      city: 'Berlin',
    },
    {
      name: 'Trey Research',
      id: 'V-10471',
      what: 'Customer satisfaction survey',
      amount: 12000,
      city: 'Copenhagen',
    },
  ],
  systems: {
    paymentsDb: 'payments-db',
    api: 'checkout-api',
    ordersDb: 'orders-db',
    search: 'search-cluster',
    gateway: 'warehouse-api',
  },
  costCenter: 'CC-410 Operations',
  bankMask: 'DE89 **** **** **** 3000',
};

export const globex: OrgProfile = {
  slug: 'globex',
  name: 'Globex Industries',
  domain: 'globex.example',
  currency: 'USD',
  people: {
    owner: 'Priya Raman',
    admin: 'Jonas Keller',
    compliance_officer: 'Amara Nwosu',
    member: 'Luis Ferreira',
    auditor: 'Claire Dubois',
    viewer: 'Kenji Watanabe',
  },
  devices: {
    owner: 'MacBook Air 15 (Priya)',
    admin: 'Dell Latitude 7450 (Jonas)',
    compliance_officer: 'ThinkPad T14s (Amara)',
  },
  replacementDevice: 'Dell Latitude 9450 (Jonas)',
  vendors: [
    { name: 'Initech Components', id: 'S-2204', what: 'CNC spindle bearings', amount: 23880, city: 'Austin' },
    {
      name: 'Contoso Steel Supply',
      id: 'S-2019',
      what: 'Cold-rolled sheet steel, 40 t',
      amount: 71450,
      city: 'Pittsburgh',
    },
    {
      name: 'Tailspin Freight',
      id: 'S-2310',
      what: 'Inbound freight, October',
      amount: 15760,
      city: 'Memphis',
    },
    {
      name: 'Fabrikam Industrial Gases',
      id: 'S-2142',
      what: 'Nitrogen and argon supply',
      amount: 9312.4,
      city: 'Cleveland',
    },
    {
      name: 'Humongous Insurance',
      id: 'S-2007',
      what: 'Property insurance, Q4 premium',
      amount: 38500,
      city: 'Hartford',
    },
    {
      name: 'Litware Security AB',
      id: 'S-2388',
      what: 'OT network security assessment',
      amount: 24000,
      city: 'Stockholm',
    },
    {
      name: 'Wingtip Tooling',
      id: 'S-2251',
      what: 'Replacement stamping dies',
      amount: 17245,
      city: 'Grand Rapids',
    },
    { name: 'Proseware Inc.', id: 'S-2402', what: 'MES licences, annual', amount: 12600, city: 'Seattle' },
    {
      name: 'Northwind Traders',
      id: 'S-2118',
      what: 'Maintenance spare parts',
      amount: 6980.35,
      city: 'Chicago',
    },
    {
      name: 'Lucerne Publishing',
      id: 'S-2277',
      what: 'Operator manuals, reprint',
      amount: 3420,
      city: 'Boston',
    },
    { name: 'Trey Research', id: 'S-2330', what: 'Supplier quality audit', amount: 9900, city: 'Denver' },
  ],
  systems: {
    paymentsDb: 'erp-db',
    api: 'supplier-portal',
    ordersDb: 'production-orders-db',
    search: 'telemetry-cluster',
    gateway: 'plant-gateway',
  },
  costCenter: 'CC-220 Plant operations',
  bankMask: 'US ACH ****6021',
};

export const profiles: readonly OrgProfile[] = [acme, globex];

const amounts = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function money(profile: OrgProfile, amount: number): string {
  return `${profile.currency} ${amounts.format(amount)}`;
}

export function day(date: Date, plusDays = 0): string {
  return new Date(date.getTime() + plusDays * 86_400_000).toISOString().slice(0, 10);
}
