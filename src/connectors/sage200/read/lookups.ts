// Loads the reference data mappers need with $select to keep it light, every piece in parallel, each through the
// connection's lookup cache (lookup-cache.ts) so the data types of one sync run share them.
import { currencyFromRow, emptyLookups, type Lookups, nominalRef, num } from '../mapping/lookups.ts';
import { nominalKey } from '../mapping/refs.ts';
import { readAll, type SageReader } from './common.ts';
import { cached, newestStamp } from './lookup-cache.ts';

export type LookupNeed =
  | 'taxCodes'
  | 'currencies'
  | 'customers'
  | 'suppliers'
  | 'nominalCodes'
  | 'tracking'
  | 'banks'
  | 'salesUrns'
  | 'purchaseUrns';

type Row = Record<string, unknown>;
type Urns = Lookups['urns'];

export const postedResource = (ledger: 'sales' | 'purchase') =>
  ledger === 'sales' ? 'sales_posted_transactions' : 'purchase_posted_transactions';

async function currencies(client: SageReader) {
  return cached(client, 'currencies', 'currencies', async () => {
    const map: Lookups['currencies'] = new Map();
    let base = 'XXX';
    const rows = await readAll(client, 'currencies', { expand: 'currency_iso_code' });
    for (const c of rows) {
      const iso = currencyFromRow(c);
      map.set(Number(c.id), iso);
      if (c.is_base_currency === true) base = iso;
    }
    return { value: { map, base }, stamp: newestStamp(rows) };
  });
}

const taxCodes = (client: SageReader) =>
  cached(client, 'taxCodes', 'tax_codes', async () => {
    const map: Lookups['taxCodes'] = new Map();
    const rows = await readAll(client, 'tax_codes', { select: 'id,code,name,tax_rate,date_time_updated' });
    for (const t of rows)
      map.set(Number(t.id), {
        id: Number(t.id),
        code: num(t.code),
        name: String(t.name ?? ''),
        rate: num(t.tax_rate) ?? 0,
      });
    return { value: map, stamp: newestStamp(rows) };
  });

const parties = (client: SageReader, side: 'customers' | 'suppliers') =>
  cached(client, side, side, async () => {
    const map: Lookups['customers'] = new Map();
    const rows = await readAll(client, side, { select: 'id,reference,name,currency_id,date_time_updated' });
    for (const p of rows)
      map.set(Number(p.id), {
        id: Number(p.id),
        reference: (p.reference as string) ?? null,
        name: (p.name as string) ?? null,
        currencyId: num(p.currency_id),
      });
    return { value: map, stamp: newestStamp(rows) };
  });

const nominalCodes = (client: SageReader) =>
  cached(client, 'nominalCodes', 'nominal_codes', async () => {
    const map: Lookups['nominalCodes'] = new Map();
    const rows = await readAll(client, 'nominal_codes', {
      select: 'id,reference,name,cost_centre_code,department_code,date_time_updated',
    });
    for (const n of rows)
      map.set(nominalKey(n.reference, n.cost_centre_code, n.department_code), {
        id: Number(n.id),
        name: (n.name as string) ?? null,
      });
    return { value: map, stamp: newestStamp(rows) };
  });

const codes = (client: SageReader, resource: 'cost_centres' | 'departments') =>
  cached(client, resource, resource, async () => {
    const map = new Map<string, string>();
    const rows = await readAll(client, resource, { select: 'id,code,name,date_time_updated' });
    for (const r of rows) map.set(String(r.code).trim(), String(r.name ?? ''));
    return { value: map, stamp: newestStamp(rows) };
  });

/** URN -> posted transaction. The type strings are interned: a large ledger repeats a handful of them. */
const urns = (client: SageReader, ledger: 'sales' | 'purchase') =>
  cached(client, `${ledger}Urns`, postedResource(ledger), async () => {
    const map: Urns = new Map();
    const types = new Map<string, string>();
    let stamp: string | null = null;
    for await (const page of client.pages<Row>(postedResource(ledger), {
      orderBy: 'id asc',
      select: 'id,urn,trader_transaction_type,date_time_updated',
      pageSize: 5000,
    })) {
      const s = newestStamp(page.rows);
      if (s && (!stamp || s > stamp)) stamp = s;
      for (const r of page.rows) {
        const t = String(r.trader_transaction_type);
        let type = types.get(t);
        if (type === undefined) {
          type = t;
          types.set(t, t);
        }
        map.set(Number(r.urn), { id: Number(r.id), type, ledger });
      }
    }
    return { value: map, stamp };
  });

const banks = (client: SageReader) =>
  cached(client, 'banks', 'banks', async () => {
    const [rows, nominals] = await Promise.all([
      readAll(client, 'banks', {
        select:
          'id,code,bank_account_nominal_reference,bank_account_nominal_cost_centre,bank_account_nominal_department,date_time_updated',
      }),
      nominalCodes(client),
    ]);
    const lk = { ...emptyLookups('XXX'), nominalCodes: nominals };
    const map: Lookups['banks'] = new Map();
    for (const b of rows)
      map.set(String(b.code).trim(), {
        id: Number(b.id),
        nominal: nominalRef(
          lk,
          b.bank_account_nominal_reference,
          b.bank_account_nominal_cost_centre,
          b.bank_account_nominal_department,
        ),
      });
    return { value: map, stamp: newestStamp(rows) };
  });

export async function loadLookups(client: SageReader, needs: LookupNeed[]): Promise<Lookups> {
  const want = new Set<LookupNeed>(needs);
  if (want.has('banks')) want.add('nominalCodes');
  const lk: Lookups = emptyLookups('XXX');
  const none = Promise.resolve(undefined);
  // currencies are always needed: the base currency drives every document
  const [cur, tax, cust, supp, nom, cc, dept, bank, sUrns, pUrns] = await Promise.all([
    currencies(client),
    want.has('taxCodes') ? taxCodes(client) : none,
    want.has('customers') ? parties(client, 'customers') : none,
    want.has('suppliers') ? parties(client, 'suppliers') : none,
    want.has('nominalCodes') ? nominalCodes(client) : none,
    want.has('tracking') ? codes(client, 'cost_centres') : none,
    want.has('tracking') ? codes(client, 'departments') : none,
    want.has('banks') ? banks(client) : none,
    want.has('salesUrns') ? urns(client, 'sales') : none,
    want.has('purchaseUrns') ? urns(client, 'purchase') : none,
  ]);
  lk.currencies = cur.map;
  lk.baseCurrency = cur.base;
  if (tax) lk.taxCodes = tax;
  if (cust) lk.customers = cust;
  if (supp) lk.suppliers = supp;
  if (nom) lk.nominalCodes = nom;
  if (cc) lk.costCentres = cc;
  if (dept) lk.departments = dept;
  if (bank) lk.banks = bank;
  // Mappers only read the maps; one ledger's map is shared as is, both are merged (journal entries).
  if (sUrns && pUrns) lk.urns = new Map([...sUrns, ...pUrns]);
  else lk.urns = sUrns ?? pUrns ?? lk.urns;
  return lk;
}
