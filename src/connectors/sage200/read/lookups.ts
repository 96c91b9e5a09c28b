// Loads the reference data mappers need with $select to keep it light, every piece in parallel, each through the
// connection's lookup cache (lookup-cache.ts) so the data types of one sync run, and later syncs, share them.
// Parties and URN maps are patched with the rows changed since their stamp; the small pieces are reloaded.
// Deletions: a record deleted in Sage stays in a patched map. That is harmless: mappers look entries up by the id
// (or URN) a live record refers to, and a full reload (new process, idle expiry) drops it.
import { currencyFromRow, emptyLookups, type Lookups, nominalRef, num } from '../mapping/lookups.ts';
import { nominalKey } from '../mapping/refs.ts';
import { readAll, type SageReader } from './common.ts';
import { cached, changedRows, laterStamp, newestStamp, type SnapshotCodec } from './lookup-cache.ts';
import { CompactUrnMap, UnionUrnMap, UrnIndexBuilder, type UrnMapState } from './urn-index.ts';

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

const PARTY_FIELDS = 'id,reference,name,currency_id,date_time_updated';

function setParty(map: Lookups['customers'], p: Row) {
  map.set(Number(p.id), {
    id: Number(p.id),
    reference: (p.reference as string) ?? null,
    name: (p.name as string) ?? null,
    currencyId: num(p.currency_id),
  });
}

const PARTY_SNAPSHOT: SnapshotCodec<Lookups['customers']> = {
  version: 1,
  toState: (map) => map,
  fromState(state) {
    if (!(state instanceof Map)) throw new Error('Not a party map snapshot');
    return state as Lookups['customers'];
  },
};

const URN_SNAPSHOT: SnapshotCodec<CompactUrnMap> = {
  version: 1,
  toState: (map) => map.toState(),
  fromState: (state) => CompactUrnMap.fromState(state as UrnMapState),
};

/** Customers or suppliers; renamed and new ones are patched in from the rows updated since the held stamp. */
const parties = (client: SageReader, side: 'customers' | 'suppliers') =>
  cached(
    client,
    side,
    side,
    async () => {
      const map: Lookups['customers'] = new Map();
      const rows = await readAll(client, side, { select: PARTY_FIELDS });
      for (const p of rows) setParty(map, p);
      return { value: map, stamp: newestStamp(rows) };
    },
    {
      snapshot: PARTY_SNAPSHOT,
      patch: {
        changes: (since) => changedRows(client, side, { field: 'date_time_updated', since, select: PARTY_FIELDS }),
        apply(map, rows) {
          for (const p of rows) setParty(map, p);
        },
      },
    },
  );

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

const URN_FIELDS = 'id,urn,trader_transaction_type,date_time_updated';

/**
 * URN -> posted transaction, held compactly (urn-index.ts). A posted transaction's URN, id and type never change,
 * so the map is never reloaded for an allocation: it is patched from the rows updated since its stamp (new
 * postings, and allocated rows, which are left as they are). `date_time_updated` rather than `date_time_created`
 * because it is the order every incremental read of the same resource asks for, which the source can answer from
 * one index (the simulator builds one per order; a second order cost about 9% of a full sync at scale 5).
 */
const urns = (client: SageReader, ledger: 'sales' | 'purchase') =>
  cached(
    client,
    `${ledger}Urns`,
    postedResource(ledger),
    async () => {
      const b = new UrnIndexBuilder();
      let stamp: string | null = null;
      for await (const page of client.pages<Row>(postedResource(ledger), {
        orderBy: 'id asc',
        select: URN_FIELDS,
        pageSize: 5000,
      })) {
        stamp = laterStamp(stamp, newestStamp(page.rows));
        for (const r of page.rows) b.add(Number(r.urn), Number(r.id), String(r.trader_transaction_type), ledger);
      }
      return { value: b.build(), stamp };
    },
    {
      snapshot: URN_SNAPSHOT,
      patch: {
        changes: (since) =>
          changedRows(client, postedResource(ledger), { field: 'date_time_updated', since, select: URN_FIELDS }),
        apply(map, rows) {
          for (const r of rows) {
            const urn = Number(r.urn);
            const id = Number(r.id);
            const type = String(r.trader_transaction_type);
            const had = map.get(urn);
            if (had?.id !== id || had.type !== type) map.set(urn, { id, type, ledger });
          }
        },
      },
    },
  );

/**
 * The posted transactions of both ledgers whose URN lies in the range of `rows` (one keyset-ordered range read per
 * ledger): what the URN maps would say about these rows, for a reader that cannot wait for the whole maps to load
 * (journal entries, while a cold load is in progress). Later ledgers win on the same URN, as in `loadLookups`.
 */
export async function urnsOfRows(client: SageReader, rows: Row[]): Promise<Lookups['urns']> {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const r of rows) {
    const u = Number(r.urn);
    if (!Number.isFinite(u)) continue;
    if (u < lo) lo = u;
    if (u > hi) hi = u;
  }
  const map: Lookups['urns'] = new Map();
  if (lo > hi) return map;
  const ledgers = ['sales', 'purchase'] as const;
  const found = await Promise.all(
    ledgers.map(async (ledger) => {
      const out: Row[] = [];
      for await (const page of client.pages<Row>(postedResource(ledger), {
        orderBy: 'urn asc,id asc',
        filter: `urn ge ${lo} and urn le ${hi}`,
        select: URN_FIELDS,
        pageSize: 5000,
      }))
        out.push(...page.rows);
      return out;
    }),
  );
  for (const [i, ledger] of ledgers.entries())
    for (const r of found[i]!)
      map.set(Number(r.urn), { id: Number(r.id), type: String(r.trader_transaction_type), ledger });
  return map;
}

/** Banks carry their nominal account's name, so they are rebuilt when the nominal codes were reloaded too. */
async function banks(client: SageReader): Promise<Lookups['banks']> {
  const nominals = await nominalCodes(client);
  const piece = () =>
    cached(client, 'banks', 'banks', async () => {
      const rows = await readAll(client, 'banks', {
        select:
          'id,code,bank_account_nominal_reference,bank_account_nominal_cost_centre,bank_account_nominal_department,date_time_updated',
      });
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
      return { value: { map, nominals }, stamp: newestStamp(rows) };
    });
  let v = await piece();
  if (v.nominals !== nominals) {
    client.lookupCache?.delete('banks');
    v = await piece();
  }
  return v.map;
}

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
  // Mappers only read the maps; one ledger's map is shared as is, both are seen through one view (journal entries).
  if (sUrns && pUrns) lk.urns = new UnionUrnMap([sUrns, pUrns]);
  else lk.urns = sUrns ?? pUrns ?? lk.urns;
  return lk;
}
