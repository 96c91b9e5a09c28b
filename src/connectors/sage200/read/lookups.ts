// Loads the reference data mappers need, once per read, with $select to keep it light.
import { currencyFromRow, type Lookups, num } from '../mapping/lookups.ts';
import { nominalKey } from '../mapping/refs.ts';
import { readAll, type SageReader } from './common.ts';

export type LookupNeed = 'taxCodes' | 'currencies' | 'customers' | 'suppliers' | 'nominalCodes' | 'tracking';

export async function loadLookups(client: SageReader, needs: LookupNeed[]): Promise<Lookups> {
  const want = new Set<LookupNeed>(needs);
  const lk: Lookups = {
    baseCurrency: 'XXX',
    currencies: new Map(),
    taxCodes: new Map(),
    customers: new Map(),
    suppliers: new Map(),
    nominalCodes: new Map(),
    costCentres: new Map(),
    departments: new Map(),
  };
  // currencies are always needed: the base currency drives every document
  const currencies = await readAll(client, 'currencies', { expand: 'currency_iso_code' });
  for (const c of currencies) {
    const iso = currencyFromRow(c);
    lk.currencies.set(Number(c.id), iso);
    if (c.is_base_currency === true) lk.baseCurrency = iso;
  }
  const jobs: Promise<void>[] = [];
  if (want.has('taxCodes'))
    jobs.push(
      readAll(client, 'tax_codes', { select: 'id,code,name,tax_rate' }).then((rows) => {
        for (const t of rows)
          lk.taxCodes.set(Number(t.id), {
            id: Number(t.id),
            code: num(t.code),
            name: String(t.name ?? ''),
            rate: num(t.tax_rate) ?? 0,
          });
      }),
    );
  for (const side of ['customers', 'suppliers'] as const)
    if (want.has(side))
      jobs.push(
        readAll(client, side, { select: 'id,reference,name,currency_id' }).then((rows) => {
          for (const p of rows)
            lk[side].set(Number(p.id), {
              id: Number(p.id),
              reference: (p.reference as string) ?? null,
              name: (p.name as string) ?? null,
              currencyId: num(p.currency_id),
            });
        }),
      );
  if (want.has('nominalCodes'))
    jobs.push(
      readAll(client, 'nominal_codes', { select: 'id,reference,name,cost_centre_code,department_code' }).then(
        (rows) => {
          for (const n of rows)
            lk.nominalCodes.set(nominalKey(n.reference, n.cost_centre_code, n.department_code), {
              id: Number(n.id),
              name: (n.name as string) ?? null,
            });
        },
      ),
    );
  if (want.has('tracking')) {
    jobs.push(
      readAll(client, 'cost_centres', { select: 'id,code,name' }).then((rows) => {
        for (const r of rows) lk.costCentres.set(String(r.code).trim(), String(r.name ?? ''));
      }),
    );
    jobs.push(
      readAll(client, 'departments', { select: 'id,code,name' }).then((rows) => {
        for (const r of rows) lk.departments.set(String(r.code).trim(), String(r.name ?? ''));
      }),
    );
  }
  await Promise.all(jobs);
  return lk;
}
