// Reference data a mapper needs (tax codes, currencies, parties, nominal codes, tracking names), loaded once per read.
import { isoOrXXX } from './currency.ts';
import { nominalKey } from './refs.ts';

export interface TaxCodeInfo {
  id: number;
  code: number | null;
  name: string;
  rate: number;
}
export interface PartyInfo {
  id: number;
  reference: string | null;
  name: string | null;
  currencyId: number | null;
}
export interface Lookups {
  baseCurrency: string;
  /** Sage currency record id -> ISO code (XXX when unknown) */
  currencies: Map<number, string>;
  taxCodes: Map<number, TaxCodeInfo>;
  customers: Map<number, PartyInfo>;
  suppliers: Map<number, PartyInfo>;
  /** nominalKey(reference, cost centre, department) -> nominal code record */
  nominalCodes: Map<string, { id: number; name: string | null }>;
  costCentres: Map<string, string>;
  departments: Map<string, string>;
  /** bank code -> nominal account of the bank (payments' accountRef) */
  banks: Map<string, { id: number; nominal: { id: string; name: string | null } | null }>;
  /** ledger URN -> posted transaction id and type (payment links) */
  urns: Map<number, { id: number; type: string; ledger?: 'sales' | 'purchase' }>;
}

export function emptyLookups(baseCurrency = 'GBP'): Lookups {
  return {
    baseCurrency,
    currencies: new Map(),
    taxCodes: new Map(),
    customers: new Map(),
    suppliers: new Map(),
    nominalCodes: new Map(),
    costCentres: new Map(),
    departments: new Map(),
    banks: new Map(),
    urns: new Map(),
  };
}

/** Document currency of a party: its currency id, resolved; base currency when the party or currency is unknown
 * would hide a problem, so an unknown currency id gives `XXX` (validation warns). */
export function partyCurrency(lk: Lookups, party: PartyInfo | undefined): string {
  if (!party || party.currencyId == null) return lk.baseCurrency;
  return lk.currencies.get(party.currencyId) ?? 'XXX';
}

export function nominalRef(
  lk: Lookups,
  code: unknown,
  cc: unknown,
  dept: unknown,
): { id: string; name: string | null } | null {
  const n = lk.nominalCodes.get(nominalKey(code, cc, dept)) ?? lk.nominalCodes.get(nominalKey(code, '', ''));
  return n ? { id: String(n.id), name: n.name } : null;
}

type Row = Record<string, unknown>;
export const num = (v: unknown): number | null =>
  typeof v === 'number' ? v : v == null || v === '' ? null : Number(v);

export function currencyFromRow(row: Row): string {
  const iso = (row.currency_iso_code as Row | undefined)?.code;
  return isoOrXXX(iso);
}
