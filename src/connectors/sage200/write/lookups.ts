// Reference data a write needs (tax codes, nominal codes, currencies, banks, ...), read from the company's own Sage
// books once per push and cached for its duration. Every reference in a body is resolved here BEFORE sending.
import { ConnectorError } from '../../connector.ts';
import { odataString } from '../client.ts';
import type { SageRow, WriteClient } from './types.ts';

export interface TaxCode extends SageRow {
  id: number;
  code: number;
  name: string;
  tax_rate: number;
}
export interface NominalCode extends SageRow {
  id: number;
  reference: string;
  name: string;
  cost_centre_code?: string | null;
  department_code?: string | null;
  account_status_type?: string;
}
export interface Currency extends SageRow {
  id: number;
  name: string;
  is_base_currency?: boolean;
  currency_iso_code?: { code?: string } | null;
}
export interface Bank extends SageRow {
  id: number;
  code: string;
  description?: string;
  account_currency_id?: number;
  bank_account_nominal_reference?: string;
  bank_account_nominal_cost_centre?: string;
  bank_account_nominal_department?: string;
}
export interface Coded extends SageRow {
  id: number;
  code: string;
  name?: string;
  description?: string;
}

const ALL = { $orderby: 'id asc', $top: 5000 };

/**
 * Reference lists (tax codes, nominal codes, currencies, ...) shared by the pushes of one connection for a short
 * time, so a stream of pushes does not re-read them every time. A stale list can only let through a reference Sage
 * then refuses (a Failed push with Sage's message); writes that change a list (accounts) clear it.
 */
export class ReferenceCache {
  private entries = new Map<string, { at: number; value: Promise<unknown> }>();
  constructor(
    readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}
  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value as Promise<T>;
    const value = load();
    this.entries.set(key, { at: this.now(), value });
    value.catch(() => this.entries.delete(key));
    return value;
  }
  clear(): void {
    this.entries.clear();
  }
}

const shared = new Map<string, ReferenceCache>();
/** The reference cache of one Sage company (site + company) reached through one connection. */
export function referenceCacheFor(key: string): ReferenceCache {
  let c = shared.get(key);
  if (!c) {
    c = new ReferenceCache();
    shared.set(key, c);
  }
  return c;
}

export class Lookups {
  private cache = new Map<string, Promise<unknown>>();
  constructor(
    readonly client: WriteClient,
    readonly references: ReferenceCache = new ReferenceCache(0),
  ) {}

  private once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let p = this.cache.get(key) as Promise<T> | undefined;
    if (!p) {
      p = load();
      this.cache.set(key, p);
      p.catch(() => this.cache.delete(key));
    }
    return p;
  }

  private list<T>(resource: string, extra: Record<string, string> = {}): Promise<T[]> {
    const key = `${resource}?${JSON.stringify(extra)}`;
    return this.once(key, () => this.references.get(key, () => this.client.get<T[]>(resource, { ...ALL, ...extra })));
  }

  taxCodes = () => this.list<TaxCode>('tax_codes');
  nominalCodes = () => this.list<NominalCode>('nominal_codes');
  currencies = () => this.list<Currency>('currencies', { $expand: 'currency_iso_code' });
  banks = () => this.list<Bank>('banks');
  costCentres = () => this.list<Coded>('cost_centres');
  departments = () => this.list<Coded>('departments');
  reportCategories = () => this.list<SageRow>('nominal_report_categories');
  productGroups = () => this.list<Coded>('product_groups');
  warehouses = () => this.list<SageRow>('warehouses');

  async taxCode(id: string | number | undefined | null): Promise<TaxCode | undefined> {
    if (id === undefined || id === null || id === '') return undefined;
    return (await this.taxCodes()).find((t) => String(t.id) === String(id));
  }

  async nominalCode(id: string | number | undefined | null): Promise<NominalCode | undefined> {
    if (id === undefined || id === null || id === '') return undefined;
    return (await this.nominalCodes()).find((n) => String(n.id) === String(id));
  }

  /** The nominal account for a reference + cost centre + department (Sage's account is that triple). */
  async nominalByParts(reference: string, costCentre = '', department = ''): Promise<NominalCode | undefined> {
    return (await this.nominalCodes()).find(
      (n) =>
        n.reference === reference &&
        (n.cost_centre_code ?? '') === costCentre &&
        (n.department_code ?? '') === department,
    );
  }

  async currencyByIso(iso: string): Promise<Currency | undefined> {
    return (await this.currencies()).find((c) => c.currency_iso_code?.code?.toUpperCase() === iso.toUpperCase());
  }

  async currencyById(id: number | undefined | null): Promise<Currency | undefined> {
    if (id === undefined || id === null) return undefined;
    return (await this.currencies()).find((c) => c.id === id);
  }

  async baseCurrency(): Promise<Currency | undefined> {
    return (await this.currencies()).find((c) => c.is_base_currency);
  }

  async bank(id: string | number | undefined | null): Promise<Bank | undefined> {
    if (id === undefined || id === null || id === '') return undefined;
    return (await this.banks()).find((b) => String(b.id) === String(id));
  }

  /** A bank given either as a bank id (bankAccounts) or as the id of the bank's nominal account (chartOfAccounts). */
  async bankFromAccountRef(id: string | undefined): Promise<Bank | undefined> {
    if (!id) return undefined;
    const direct = await this.bank(id);
    if (direct) return direct;
    const nominal = await this.nominalCode(id);
    if (!nominal) return undefined;
    return (await this.banks()).find(
      (b) =>
        b.bank_account_nominal_reference === nominal.reference &&
        (b.bank_account_nominal_cost_centre ?? '') === (nominal.cost_centre_code ?? '') &&
        (b.bank_account_nominal_department ?? '') === (nominal.department_code ?? ''),
    );
  }

  /** GET one record by Sage id; undefined on 404 (and for ids that are not numbers). */
  async byId<T extends SageRow>(resource: string, id: string | number | undefined | null, expand?: string) {
    if (id === undefined || id === null || !/^\d+$/.test(String(id))) return undefined;
    return this.once(`${resource}/${id}?${expand ?? ''}`, async () => {
      try {
        return await this.client.get<T>(`${resource}/${id}`, expand ? { $expand: expand } : undefined);
      } catch (err) {
        if (err instanceof ConnectorError && err.kind === 'NotFound') return undefined;
        throw err;
      }
    });
  }

  customer = (id: string | number | undefined | null) => this.byId<SageRow>('customers', id);
  supplier = (id: string | number | undefined | null) => this.byId<SageRow>('suppliers', id);

  /** Rows of `resource` whose `field` equals `value` (uncached: used to look for an earlier try's write). */
  async findBy<T = SageRow>(resource: string, field: string, value: string | number, expand?: string): Promise<T[]> {
    const literal = typeof value === 'number' ? String(value) : odataString(value);
    return this.client.get<T[]>(resource, {
      $filter: `${field} eq ${literal}`,
      $orderby: 'id asc',
      $top: 50,
      ...(expand ? { $expand: expand } : {}),
    });
  }
}
